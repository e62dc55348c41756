//! Modal questions: unsaved changes, a review left in the recovery file, a saved review
//! beside the report just opened.

use super::action::{Action, Answer, OverwriteChoice};
use super::io::Found;
use eframe::egui::{self, Id, Modal, RichText};

/// “Save the changes to NAME?” — 保存 / 不保存 / 取消.
pub fn unsaved(ctx: &egui::Context, name: &str, actions: &mut Vec<Action>) {
    let response = Modal::new(Id::unique("nianbao-unsaved")).show(ctx, |ui| {
        ui.set_max_width(380.0);
        ui.label(RichText::new("有未保存的修改").strong().size(16.0));
        ui.add_space(6.0);
        ui.label(format!("“{name}”的审校有未保存的修改。要先保存吗？"));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("保存").clicked() {
                actions.push(Action::Confirm(Answer::Save));
            }
            if ui.button("不保存").clicked() {
                actions.push(Action::Confirm(Answer::Discard));
            }
            if ui.button("取消").clicked() {
                actions.push(Action::Confirm(Answer::Cancel));
            }
        });
    });
    if response.should_close() && !actions.iter().any(|a| matches!(a, Action::Confirm(_))) {
        actions.push(Action::Confirm(Answer::Cancel));
    }
}

/// “NAME.ron exists and is another review”: 覆盖 / 另存为新名称 / 取消.
pub(crate) fn overwrite(ctx: &egui::Context, path: &std::path::Path, actions: &mut Vec<Action>) {
    let response = Modal::new(Id::unique("nianbao-overwrite")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.label(RichText::new("文件已存在").strong().size(16.0));
        ui.add_space(6.0);
        ui.label(format!(
            "“{}”已存在，它不是这份审校保存过的文件。要覆盖它，还是另存为新名称？",
            super::io::file_name(path)
        ));
        ui.label(RichText::new(path.display().to_string()).small());
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("覆盖").clicked() {
                actions.push(Action::Overwrite(OverwriteChoice::Replace));
            }
            if ui.button("另存为新名称").clicked() {
                actions.push(Action::Overwrite(OverwriteChoice::NewName));
            }
            if ui.button("取消").clicked() {
                actions.push(Action::Overwrite(OverwriteChoice::Cancel));
            }
        });
    });
    if response.should_close() && !actions.iter().any(|a| matches!(a, Action::Overwrite(_))) {
        actions.push(Action::Overwrite(OverwriteChoice::Cancel));
    }
}

/// 关于: version, licence, the bundled font's licence. True when closed.
pub fn about(ctx: &egui::Context) -> bool {
    let mut close = false;
    let response = Modal::new(Id::unique("nianbao-about")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.label(RichText::new("年报审校 nianbao").strong().size(18.0));
        ui.label(format!("版本 {}", env!("CARGO_PKG_VERSION")));
        ui.add_space(6.0);
        ui.label("政府信息公开工作年度报告的表格解析、审校与导出。");
        ui.add_space(6.0);
        ui.label("许可：MIT OR Apache-2.0（任选其一）");
        ui.label(
            "内置字体：Noto Sans SC Regular 的 GB2312 子集，© 2010-2012 Google Corporation，\
             SIL Open Font License 1.1（全文见随附的 NOTICE-noto-cjk.txt）。",
        );
        ui.add_space(10.0);
        if ui.button("关闭").clicked() {
            close = true;
        }
    });
    close || response.should_close()
}

/// “A review was not saved last time: restore it?”
pub fn recovery(ctx: &egui::Context, found: &Found, actions: &mut Vec<Action>) {
    Modal::new(Id::unique("nianbao-recovery")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.label(RichText::new("发现未保存的审校").strong().size(16.0));
        ui.add_space(6.0);
        let when = found.modified.and_then(|t| t.elapsed().ok()).map(|d| ago(d.as_secs())).unwrap_or_default();
        ui.label(format!("上次关闭前有一份审校没有保存{when}。要恢复它吗？"));
        if let Some(p) = found.save_path.as_ref().or(found.source_path.as_ref()) {
            ui.label(RichText::new(format!("文件：{}", p.display())).small());
        }
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("恢复").clicked() {
                actions.push(Action::RestoreRecovery);
            }
            if ui.button("丢弃").clicked() {
                actions.push(Action::DiscardRecovery);
            }
        });
    });
}

fn ago(secs: u64) -> String {
    match secs {
        0..60 => "（刚才）".to_string(),
        60..3600 => format!("（{} 分钟前）", secs / 60),
        3600..86400 => format!("（{} 小时前）", secs / 3600),
        _ => format!("（{} 天前）", secs / 86400),
    }
}

/// A file dropped on an open report: 与当前报告对比 / 打开 / 取消.
pub fn drop_offer(ctx: &egui::Context, path: &std::path::Path, actions: &mut Vec<Action>) {
    let name = super::io::file_name(path);
    let response = Modal::new(Id::unique("nianbao-drop")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.label(RichText::new("拖入了另一份报告").strong().size(16.0));
        ui.add_space(6.0);
        ui.label(format!("要把“{name}”与当前报告对比，还是打开它代替当前报告？"));
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("与当前报告对比").clicked() {
                actions.push(Action::CompareWith(path.to_path_buf()));
            }
            if ui.button("打开").clicked() {
                actions.push(Action::Open(path.to_path_buf()));
            }
            if ui.button("取消").clicked() {
                actions.push(Action::DismissDrop);
            }
        });
    });
    if response.should_close() && actions.is_empty() {
        actions.push(Action::DismissDrop);
    }
}

/// “NAME.ron beside this report is its saved review”: 继续已保存的审校 / 使用原文.
pub(crate) fn continue_review(ctx: &egui::Context, ron: &std::path::Path, actions: &mut Vec<Action>) {
    let response = Modal::new(Id::unique("nianbao-continue")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.label(RichText::new("有已保存的审校").strong().size(16.0));
        ui.add_space(6.0);
        ui.label(format!(
            "这份报告旁边有已保存的审校“{}”。要继续那次审校，还是从原文重新开始？",
            super::io::file_name(ron)
        ));
        ui.label(RichText::new(ron.display().to_string()).small());
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button("继续已保存的审校").clicked() {
                actions.push(Action::ContinueReview(true));
            }
            if ui.button("使用原文").clicked() {
                actions.push(Action::ContinueReview(false));
            }
        });
    });
    if response.should_close() && !actions.iter().any(|a| matches!(a, Action::ContinueReview(_))) {
        actions.push(Action::ContinueReview(false));
    }
}

/// 帮助 → 快捷键: every command with its shortcut (from [`UICommand`], so the list is what the
/// menu and the keys do), and the keys of the tables. True when closed.
pub(crate) fn shortcuts(ctx: &egui::Context) -> bool {
    use super::ui_command::UICommand;
    let mut close = false;
    let response = Modal::new(Id::unique("nianbao-shortcuts")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new("快捷键").strong().size(16.0));
            if ui.button("关闭").clicked() {
                close = true;
            }
        });
        ui.add_space(6.0);
        egui::ScrollArea::vertical().max_height(ui.ctx().content_rect().height() * 0.7).show(ui, |ui| {
            egui::Grid::new("nianbao-shortcut-grid").num_columns(2).striped(true).show(ui, |ui| {
                for cmd in UICommand::ALL {
                    if let Some(keys) = cmd.shortcut_text(ui.ctx()) {
                        ui.label(cmd.text().trim_end_matches('…'));
                        let more: Vec<String> =
                            cmd.shortcuts().iter().skip(1).map(|s| ui.ctx().format_shortcut(s)).collect();
                        let all = std::iter::once(keys).chain(more).collect::<Vec<_>>().join(" / ");
                        ui.label(RichText::new(all).monospace());
                        ui.end_row();
                    }
                }
                for (what, keys) in [
                    ("下一格 / 上一格", "Tab / Shift+Tab"),
                    ("下方 / 上方的格", "Enter / Shift+Enter, ↓ / ↑"),
                    ("放弃正在输入的内容", "Esc"),
                ] {
                    ui.label(what);
                    ui.label(RichText::new(keys).monospace());
                    ui.end_row();
                }
            });
        });
    });
    close || response.should_close()
}
