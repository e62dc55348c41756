//! The compare view: the header of both reports, the aligned tables (earlier | later | 变化 |
//! 变化%), the checks (cross-year first) and a chart of the application outcomes.
//! Like the desk's panels it only reads the state and returns [`Action`]s (the text fields
//! write their own buffers, as in the desk).

use super::action::Action;
use super::compare_state::{CompareDesk, compare_cell_name};
use super::palette;
use crate::compare::{AlignedRow, Side, SideCheck};
use crate::model::{Severity, format_value};
use crate::template::{APPLICANT_COLS, Kind, Table};
use eframe::egui::{self, Align, Color32, Label, RichText, Sense, Stroke, StrokeKind, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

/// Background of a value that changed from the earlier year.
pub const CHANGED_BG: Color32 = Color32::from_rgb(255, 243, 196);
const UP: Color32 = Color32::from_rgb(20, 120, 60);
const DOWN: Color32 = Color32::from_rgb(170, 40, 40);
const PASSED: Color32 = Color32::from_rgb(30, 130, 60);
/// Colours of the two years in the chart.
const EARLIER_FILL: Color32 = Color32::from_rgb(150, 170, 200);
const LATER_FILL: Color32 = Color32::from_rgb(40, 100, 200);

/// The id of the value field of cell `i` on `side`.
pub fn compare_cell_id(side: Side, i: usize) -> egui::Id {
    egui::Id::unique(("nianbao-compare-cell", side.key(), i))
}

/// Both reports: organ, year, template, counts; the warnings (other organ, same year) on top.
pub fn header(ui: &mut Ui, cd: &CompareDesk) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("两年度对比").strong().size(16.0));
        ui.add_space(12.0);
        for (n, side) in [Side::Earlier, Side::Later].into_iter().enumerate() {
            if n == 1 {
                ui.label(RichText::new("→").size(16.0).color(palette::MUTED));
            }
            side_summary(ui, cd, side);
        }
    });
    for w in cd.warnings() {
        egui::Frame::new()
            .fill(Color32::from_rgb(255, 240, 214))
            .stroke(Stroke::new(1.0, palette::WARNING))
            .corner_radius(4.0)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("⚠ 注意").strong().color(palette::WARNING));
                    ui.label(RichText::new(&w.message).strong());
                });
            });
    }
}

fn side_summary(ui: &mut Ui, cd: &CompareDesk, side: Side) {
    let d = cd.desk(side);
    let r = d.report();
    let (errors, warnings) = d.counts();
    egui::Frame::new()
        .stroke(Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(8, 3))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(side.label()).color(palette::MUTED));
                ui.label(RichText::new(cd.year_label(side)).strong());
                ui.label(RichText::new(r.organ.as_deref().unwrap_or("（机关未识别）")).strong());
                ui.label(RichText::new(template_name(cd.comparison().template(side))).color(palette::MUTED));
                let e = RichText::new(format!("错误 {errors}"));
                ui.label(if errors > 0 { e.color(palette::ERROR) } else { e.color(palette::MUTED) });
                let w = RichText::new(format!("警告 {warnings}"));
                ui.label(if warnings > 0 { w.color(palette::WARNING) } else { w.color(palette::MUTED) });
                if d.is_dirty() {
                    ui.label(RichText::new("未保存").color(palette::WARNING));
                }
            })
            .response
            .on_hover_text(d.source_path.as_ref().map(|p| p.display().to_string()).unwrap_or_default());
        });
}

fn template_name(t: crate::template::Template) -> &'static str {
    match t {
        crate::template::Template::T2019 => "2019版模板",
        crate::template::Template::T2021 => "2021版模板",
    }
}

/// The checks: cross-year ones (passed or not) first, then each side's failed checks.
pub fn checks(ui: &mut Ui, cd: &CompareDesk, actions: &mut Vec<Action>) {
    let c = cd.comparison();
    let (errors, warnings) = c.failures();
    ui.horizontal(|ui| {
        ui.label(RichText::new("检查").strong());
        let e = RichText::new(format!("错误 {errors}"));
        ui.label(if errors > 0 { e.color(palette::ERROR) } else { e.color(palette::MUTED) });
        let w = RichText::new(format!("警告 {warnings}"));
        ui.label(if warnings > 0 { w.color(palette::WARNING) } else { w.color(palette::MUTED) });
    });
    ui.separator();
    let listed = cd.listed();
    let selected = cd.selection().check;
    let mut section: Option<Option<Side>> = None;
    egui::ScrollArea::vertical().id_salt("compare-checks").auto_shrink(false).show(ui, |ui| {
        for (k, &idx) in listed.iter().enumerate() {
            let check = &c.checks[idx];
            if section != Some(check.side) {
                section = Some(check.side);
                let title = match check.side {
                    None => "跨年度检查".to_string(),
                    Some(s) => format!("{}（{}）未通过的检查", cd.year_label(s), s.label()),
                };
                ui.add_space(4.0);
                ui.label(RichText::new(title).strong().color(palette::MUTED));
            }
            let (tag, color) = if check.passed {
                ("通过", PASSED)
            } else {
                match check.severity {
                    Severity::Error => ("错误", palette::ERROR),
                    Severity::Warning => ("警告", palette::WARNING),
                }
            };
            if super::checks_view::check_row(ui, tag, color, &describe(cd, check), check.id, selected == Some(k)) {
                actions.push(Action::CompareSelectCheck(k));
            }
        }
        if listed.is_empty() {
            ui.label("没有可核对的跨年度数据。");
        }
    });
}

/// What a listed check says: its message when it failed; for a passed cross-year check, what
/// was compared and the two equal sides.
pub(crate) fn describe(cd: &CompareDesk, check: &SideCheck) -> String {
    if !check.passed && !check.message.is_empty() {
        return check.message.clone();
    }
    let what = match check.id {
        "years.carry" => "跨年度结转",
        "years.in_force" => "现行有效件数衔接",
        "years.prev_items" => "上一年项目数量衔接",
        "years.organ" => "两份报告的机关一致",
        "years.same_year" => "两份报告的年度不同",
        other => other,
    };
    let layout = cd.desk(Side::Later).report().layout();
    let scope: Vec<String> = check
        .scope
        .iter()
        .filter_map(|(k, v)| match *k {
            "col" => Some(APPLICANT_COLS.iter().find(|c| c.key == v).map_or(v.clone(), |c| format!("“{}”列", c.label))),
            "row" => Some(layout.cells.iter().find(|d| d.row == v).map_or(v.clone(), |d| d.row_def.label.to_string())),
            _ => None,
        })
        .collect();
    let mut s = what.to_string();
    if !scope.is_empty() {
        s.push_str(&format!("（{}）", scope.join("，")));
    }
    if let (Some(l), Some(r)) = (check.lhs, check.rhs)
        && check.id != "years.same_year"
    {
        s.push_str(&format!("：{} = {}", format_value(l, Kind::Count), format_value(r, Kind::Count)));
    }
    s
}

/// The outcome groups （一）…（六） with each year's total: the sum of the group's aligned rows
/// (a one-sided 2021 sub-row of （六） is already in the aligned sum row).
pub(crate) fn outcome_groups(cd: &CompareDesk) -> Vec<(String, Option<f64>, Option<f64>)> {
    let mut groups: Vec<(String, Option<f64>, Option<f64>)> = Vec::new();
    for r in cd.comparison().outcome_totals() {
        if r.one_sided().is_some() && r.note == Some(crate::compare::ONLY_2021) && r.row.starts_with("other.") {
            continue;
        }
        let name = r.row_name.split_whitespace().next().unwrap_or(r.row_name).to_string();
        let head = name.split('）').next().unwrap_or("").to_string();
        let add = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        match groups.iter_mut().find(|g| g.0.split('）').next() == Some(head.as_str())) {
            Some(g) => {
                g.1 = add(g.1, r.earlier);
                g.2 = add(g.2, r.later);
            }
            None => groups.push((name, r.earlier, r.later)),
        }
    }
    groups
}

/// The y axis's step for values up to `max`: 1, 2 or 5 times a power of ten, whole, about
/// four steps to the top.
pub(crate) fn tick_step(max: f64) -> f64 {
    let rough = (max / 4.0).max(1.0);
    let p = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|&s| s >= rough).unwrap_or(10.0 * p).max(1.0)
}

/// Grouped bars of the application outcomes （一）…（六） of both years.
pub fn chart(ui: &mut Ui, cd: &CompareDesk) {
    use egui_plot::{Bar, BarChart, GridMark, Legend, Plot};
    let groups = outcome_groups(cd);
    ui.label(RichText::new("申请办理结果（各项总计）").strong());
    let bars = |side: Side, offset: f64, fill: Color32| -> Vec<Bar> {
        groups
            .iter()
            .enumerate()
            .filter_map(|(x, g)| {
                let v = if side == Side::Earlier { g.1 } else { g.2 }?;
                Some(Bar::new(x as f64 + offset, v).width(0.36).fill(fill).name(format!(
                    "{} {}",
                    cd.year_label(side),
                    g.0
                )))
            })
            .collect()
    };
    let earlier =
        BarChart::new(cd.year_label(Side::Earlier), bars(Side::Earlier, -0.19, EARLIER_FILL)).color(EARLIER_FILL);
    let later = BarChart::new(cd.year_label(Side::Later), bars(Side::Later, 0.19, LATER_FILL)).color(LATER_FILL);
    let n = groups.len();
    let names: Vec<String> = groups.iter().map(|g| g.0.split('）').next().unwrap_or("").to_string() + "）").collect();
    let max = groups.iter().flat_map(|g| [g.1, g.2]).flatten().fold(1.0_f64, f64::max);
    let step = tick_step(max);
    // Each bar's value above it (readable without hovering).
    let labels: Vec<egui_plot::Text> = [(Side::Earlier, -0.19), (Side::Later, 0.19)]
        .into_iter()
        .flat_map(|(side, offset)| {
            groups.iter().enumerate().filter_map(move |(x, g)| {
                let v = if side == Side::Earlier { g.1 } else { g.2 }?;
                Some((x as f64 + offset, v))
            })
        })
        .map(|(x, v)| {
            egui_plot::Text::new(
                "",
                egui_plot::PlotPoint::new(x, v),
                RichText::new(format_value(v, Kind::Count)).small(),
            )
            .anchor(egui::Align2::CENTER_BOTTOM)
            .color(Color32::from_gray(40))
        })
        .collect();
    // Room below for the key (two lines in a narrow panel), so the axis labels are never cut.
    let height = (ui.available_height() - 44.0).clamp(120.0, 220.0);
    Plot::new("compare-outcomes")
        .legend(Legend::default().position(egui_plot::Corner::RightTop))
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(-max * 0.14)
        .include_y(max * 1.15)
        .include_x(-0.6)
        .include_x(n as f64 - 0.4)
        .show_grid([false, true])
        // Whole numbers only, in steps of 1, 2 or 5 times a power of ten.
        .y_grid_spacer(move |input| {
            let (lo, hi) = (input.bounds.0.max(0.0), input.bounds.1);
            let mut marks = Vec::new();
            let mut v = (lo / step).ceil().max(0.0) * step;
            while v <= hi {
                marks.push(GridMark { value: v, step_size: step });
                v += step;
            }
            marks
        })
        .y_axis_formatter(
            |mark, _| if mark.value.fract() == 0.0 { format!("{}", mark.value as i64) } else { String::new() },
        )
        // The groups' names are written under their bars (an axis drops its labels when the
        // panel is narrow).
        .show_axes([false, true])
        .show(ui, |p| {
            p.bar_chart(earlier);
            p.bar_chart(later);
            for t in labels {
                p.text(t);
            }
            for (x, name) in names.iter().enumerate() {
                let at = egui_plot::PlotPoint::new(x as f64, 0.0);
                p.text(egui_plot::Text::new("", at, RichText::new(name).small()).anchor(egui::Align2::CENTER_TOP));
            }
        });
    let key: Vec<&str> = groups.iter().map(|g| g.0.as_str()).collect();
    ui.add(Label::new(RichText::new(key.join("  ")).small().color(palette::MUTED)).wrap());
}

/// The three tables, aligned row by row (with 只看变化, the rows that changed). When a check
/// was clicked, the view scrolls so that its cells on both sides are in view together.
pub fn tables(ui: &mut Ui, cd: &mut CompareDesk, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let mut only = cd.only_changed;
        if ui.checkbox(&mut only, "只看变化").changed() {
            actions.push(Action::CompareOnlyChanged(only));
        }
        let hidden = cd.hidden_rows();
        if only && hidden > 0 {
            ui.label(RichText::new(format!("已隐藏 {hidden} 行未变化")).color(palette::MUTED));
        }
    });
    selected_strip(ui, cd);
    let mut revealed: Vec<egui::Rect> = Vec::new();
    egui::ScrollArea::both().id_salt("compare-tables").auto_shrink(false).show(ui, |ui| {
        for table in Table::ALL {
            table_ui(ui, cd, table, actions, &mut revealed);
            ui.add_space(14.0);
        }
        legend(ui);
        // Both sides' cells together when they fit in the view, else the first (the strip above
        // the tables shows them all).
        if let Some(all) = revealed.iter().copied().reduce(|a, b| a.union(b)) {
            let target = if all.height() <= ui.clip_rect().height() - 24.0 { all } else { revealed[0] };
            ui.scroll_to_rect(target, Some(Align::Center));
        }
    });
    cd.reveal = false;
}

fn table_ui(
    ui: &mut Ui,
    cd: &mut CompareDesk,
    table: Table,
    actions: &mut Vec<Action>,
    revealed: &mut Vec<egui::Rect>,
) {
    ui.label(RichText::new(table.title()).strong().size(15.0));
    ui.add_space(2.0);
    let rows: Vec<AlignedRow> = cd.comparison().table(table).filter(|r| cd.shows(r)).cloned().collect();
    let avail = ui.available_width() - 10.0;
    let (value_w, change_w, pct_w) = (86.0, 64.0, 64.0);
    let spacing = ui.spacing().item_spacing.x * 7.0;
    let rest = (avail - 2.0 * value_w - change_w - pct_w - spacing).max(300.0);
    // The 栏目 column is as wide as its widest label, so that no two columns' labels are cut to
    // the same few characters when the window is narrow; 项目 (its full text on hover) and 说明
    // share the rest.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let col_w = rows
        .iter()
        .map(|r| r.label.rsplit_once(" / ").map_or("", |(_, c)| c))
        .map(|c| ui.painter().layout_no_wrap(c.to_string(), font.clone(), Color32::BLACK).size().x)
        .fold(0.0_f32, f32::max)
        + 8.0;
    let (label_w, note_w) = ((rest - col_w) * 0.55, (rest - col_w) * 0.45);
    let (ey, ly) = (cd.year_label(Side::Earlier), cd.year_label(Side::Later));
    TableBuilder::new(ui)
        .id_salt(("compare", table.key()))
        .vscroll(false)
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(Align::Center))
        .column(Column::exact(label_w))
        .column(Column::exact(col_w))
        .columns(Column::exact(value_w), 2)
        .column(Column::exact(change_w))
        .column(Column::exact(pct_w))
        .column(Column::exact(note_w))
        .header(22.0, |mut h| {
            for t in ["项目", "栏目", ey.as_str(), ly.as_str(), "变化", "变化%", "说明"] {
                h.col(|ui| {
                    ui.label(RichText::new(t).strong());
                });
            }
        })
        .body(|mut body| {
            for r in &rows {
                body.row(24.0, |mut row| {
                    let (row_label, col_label) = r.label.rsplit_once(" / ").unwrap_or((r.label, ""));
                    row.col(|ui| {
                        ui.add(Label::new(r.row_name).truncate()).on_hover_text(row_label);
                    });
                    row.col(|ui| {
                        ui.add(Label::new(RichText::new(col_label).color(palette::MUTED)).truncate());
                    });
                    for side in [Side::Earlier, Side::Later] {
                        row.col(|ui| value_ui(ui, cd, r, side, actions, revealed));
                    }
                    row.col(|ui| {
                        if let Some(c) = r.change {
                            let text =
                                if c > 0.0 { format!("+{}", format_value(c, r.kind)) } else { format_value(c, r.kind) };
                            let color = if c > 0.0 {
                                UP
                            } else if c < 0.0 {
                                DOWN
                            } else {
                                palette::MUTED
                            };
                            ui.label(RichText::new(text).color(color).strong());
                        }
                    });
                    row.col(|ui| {
                        if let Some(p) = r.change_pct {
                            let color = if p > 0.0 {
                                UP
                            } else if p < 0.0 {
                                DOWN
                            } else {
                                palette::MUTED
                            };
                            ui.label(RichText::new(format!("{p:+.1}%")).color(color));
                        } else if r.changed() {
                            ui.label(RichText::new("新增").color(UP));
                        }
                    });
                    row.col(|ui| {
                        if let Some(note) = r.note {
                            ui.add(Label::new(RichText::new(note).small().color(palette::MUTED)).truncate());
                        }
                    });
                });
            }
        });
}

/// The cells of the check clicked, both years, with their values: in view together even when
/// the tables cannot show both rows at once.
fn selected_strip(ui: &mut Ui, cd: &CompareDesk) {
    if cd.selection().check.is_none() || cd.selection().cells.is_empty() {
        return;
    }
    egui::Frame::new()
        .stroke(Stroke::new(1.5, palette::SELECTED))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 3))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("所选检查的单元格").color(palette::MUTED));
                for &(side, i) in &cd.selection().cells {
                    let d = cd.desk(side);
                    let value = d.report().cells.get(i).and_then(|c| c.value);
                    let text = value.map_or("（无数值）".to_string(), |v| format_value(v, Kind::Count));
                    ui.label(RichText::new(format!("{} {}：{text}", cd.year_label(side), d.name(i))).strong());
                }
            });
        });
}

/// A value field's background: a person's edit is blue as in the desk (before anything else),
/// then a failed check's red, then the later year's change yellow, then the parser's status.
pub(crate) fn cell_bg(changed_later: bool, failed: bool, status: crate::model::Status) -> Option<Color32> {
    if status == crate::model::Status::Edited {
        palette::status_bg(status)
    } else if failed {
        Some(palette::FAILED_BG)
    } else if changed_later {
        Some(CHANGED_BG)
    } else {
        palette::status_bg(status)
    }
}

/// One side's value: an editable field for a single cell, the sum for several, "—" for none.
fn value_ui(
    ui: &mut Ui,
    cd: &mut CompareDesk,
    r: &AlignedRow,
    side: Side,
    actions: &mut Vec<Action>,
    revealed: &mut Vec<egui::Rect>,
) {
    let cells = r.cells(side);
    let selected = cd.is_selected(side, cells);
    let reveal = cd.reveal && selected;
    let rect = match cells {
        [] => ui.label(RichText::new("—").color(palette::MUTED)).on_hover_text("另一模板没有此项").rect,
        [i] => {
            let i = *i;
            let desk = cd.desk_mut(side);
            let status = desk.report().cells[i].status;
            let flags = desk.flags(i);
            let bg = cell_bg(r.changed() && side == Side::Later, flags.error, status);
            let mut edit = TextEdit::singleline(&mut desk.buffers[i])
                .id(compare_cell_id(side, i))
                .desired_width(f32::INFINITY)
                .align(egui::Align2::RIGHT_CENTER)
                .margin(egui::vec2(4.0, 2.0));
            if let Some(bg) = bg {
                edit = edit.background_color(bg).text_color(Color32::from_gray(20));
            }
            let response = edit.show(ui).response.response;
            let name = compare_cell_name(side, r.label);
            ui.ctx().accesskit_node_builder(response.id, |node| node.set_label(name.as_str()));
            if flags.error {
                ui.painter().rect_stroke(response.rect, 2.0, Stroke::new(1.5, palette::ERROR), StrokeKind::Inside);
            } else if flags.warning {
                ui.painter().rect_stroke(response.rect, 2.0, Stroke::new(1.5, palette::WARNING), StrokeKind::Inside);
            }
            if response.gained_focus() && !selected {
                actions.push(Action::CompareSelectCell(side, i));
            }
            if response.lost_focus() && desk.is_pending(i) {
                actions.push(Action::CompareEdit { side, cell: i, text: desk.buffers[i].clone() });
            }
            let rect = response.rect;
            response.on_hover_text(format!(
                "{}（{}）",
                cd.desk(side).name(i),
                cd.desk(side).report().cells[i].status.label()
            ));
            rect
        }
        _ => {
            let v = match side {
                Side::Earlier => r.earlier,
                Side::Later => r.later,
            };
            let text = v.map_or("—".to_string(), |v| format_value(v, r.kind));
            let resp = ui.label(RichText::new(format!("Σ {text}")).italics());
            let names: Vec<&str> = cells.iter().map(|&i| cd.desk(side).name(i)).collect();
            resp.on_hover_text(format!("合计：\n{}", names.join("\n"))).rect
        }
    };
    if selected {
        ui.painter().rect_stroke(rect, 2.0, Stroke::new(2.5, palette::SELECTED), StrokeKind::Inside);
    }
    if reveal {
        revealed.push(rect);
    }
}

fn legend(ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        let swatch = |ui: &mut Ui, fill: Color32, stroke: Option<Color32>, text: &str| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 12.0), Sense::hover());
            ui.painter().rect_filled(rect, 2.0, fill);
            if let Some(s) = stroke {
                ui.painter().rect_stroke(rect, 2.0, Stroke::new(2.0, s), StrokeKind::Inside);
            }
            ui.label(RichText::new(text).small());
            ui.add_space(8.0);
        };
        swatch(ui, CHANGED_BG, None, "较上年有变化");
        swatch(ui, palette::EDITED_BG, None, "人工修改");
        swatch(ui, palette::FAILED_BG, Some(palette::ERROR), "检查未通过");
        swatch(ui, Color32::WHITE, Some(palette::SELECTED), "所选检查涉及的单元格");
        ui.label(RichText::new("Σ 为多项之和（不可直接修改）；— 为另一模板没有此项").small().color(palette::MUTED));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    #[test]
    fn a_persons_edit_is_blue_even_where_the_later_year_changed() {
        let blue = palette::status_bg(Status::Edited);
        assert_eq!(cell_bg(true, false, Status::Edited), blue);
        assert_eq!(cell_bg(true, true, Status::Edited), blue);
        assert_eq!(cell_bg(true, false, Status::Parsed), Some(CHANGED_BG));
        assert_eq!(cell_bg(true, true, Status::Parsed), Some(palette::FAILED_BG));
        assert_eq!(cell_bg(false, false, Status::Parsed), None);
    }

    #[test]
    fn the_charts_ticks_are_whole_round_steps() {
        assert_eq!(tick_step(3.0), 1.0);
        assert_eq!(tick_step(9.0), 5.0);
        assert_eq!(tick_step(57.0), 20.0);
        assert_eq!(tick_step(1234.0), 500.0);
    }
}
