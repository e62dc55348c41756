//! Saving as one state machine, apart from egui and the threads: which writes are under way,
//! the save queued behind them, what waits for the save (closing, opening another file), the
//! question “NAME.ron exists: 覆盖 / 另存为新名称?”, and what one round of saves reports.
//!
//! Invariants: at most one round of saves is written at a time (a save asked for meanwhile is
//! queued, one deep, and started when the round ends); a round ends when its last save is
//! written, and only then is it reported (every path, or every failure); a failure cancels
//! what waited for the save and the queued save (nothing is closed or replaced after a failed
//! save); what waited runs only once nothing is being written, asked or chosen, and asks
//! “save changes?” again if the review was edited meanwhile. Exports ride the same writer but
//! never end a round.

use super::action::AfterConfirm;
use std::path::PathBuf;

/// A write under way.
#[derive(Clone, Debug, PartialEq)]
pub enum Write {
    /// The review of the document `doc_id` saved as RON.
    Save {
        doc_id: u64,
        path: PathBuf,
        prefix: String,
    },
    Export {
        what: &'static str,
        path: PathBuf,
        prefix: String,
    },
}

/// A save queued behind the one being written.
#[derive(Clone, Debug, PartialEq)]
pub enum NextSave {
    /// Ctrl+S again (with the path known then).
    Again,
    To(PathBuf, String),
}

/// A save that would replace another review's file.
#[derive(Clone, Debug, PartialEq)]
pub struct Overwrite {
    pub path: PathBuf,
    /// Said before “已保存到” (e.g. that no file dialog could be shown).
    pub prefix: String,
}

/// What a finished write means for the app.
#[derive(Debug, PartialEq)]
pub enum Done {
    Export {
        status: String,
        error: Option<String>,
    },
    /// A save of `doc_id` to `path` was written (`ok`) or failed; `round_over`: it was the
    /// round's last one ([`SaveFlow::end_round`] is due).
    Save {
        doc_id: u64,
        path: PathBuf,
        ok: bool,
        round_over: bool,
    },
}

/// How a round of saves ended.
#[derive(Debug, PartialEq)]
pub struct RoundEnd {
    pub status: String,
    /// Shown in the window's error banner.
    pub error: Option<String>,
    /// The save queued meanwhile, to start now.
    pub next: Option<NextSave>,
}

/// What to do with what waited for the save.
#[derive(Debug, PartialEq)]
pub enum Resume {
    /// Edited meanwhile: ask “save changes?” again.
    Ask(AfterConfirm),
    /// Saved: go on.
    Go(AfterConfirm),
}

/// The status while a second save waits for the first.
pub const SAVE_QUEUED: &str = "上一次保存尚未完成：完成后会再保存一次（包括此后的修改）";

#[derive(Debug, Default)]
pub struct SaveFlow {
    writes: Vec<(u64, Write)>,
    next: Option<NextSave>,
    after: Option<AfterConfirm>,
    round_saved: Vec<(String, PathBuf)>,
    round_failed: Vec<String>,
    overwrite: Option<Overwrite>,
}

impl SaveFlow {
    /// Whether a save is being written.
    pub(crate) fn saving(&self) -> bool {
        self.writes.iter().any(|(_, w)| matches!(w, Write::Save { .. }))
    }

    /// Whether a save or export is being written or queued.
    pub fn is_writing(&self) -> bool {
        !self.writes.is_empty() || self.next.is_some()
    }

    /// Queue a save behind the round being written (replacing one queued before).
    pub(crate) fn queue(&mut self, next: NextSave) {
        self.next = Some(next);
    }

    /// A write was handed to the writer as number `seq`.
    pub(crate) fn started(&mut self, seq: u64, write: Write) {
        self.writes.push((seq, write));
    }

    /// Go on with `after` once the save succeeded.
    pub(crate) fn wait_for_save(&mut self, after: AfterConfirm) {
        self.after = Some(after);
    }

    /// The save was cancelled (a dialog, the overwrite question): so is what waited for it.
    pub(crate) fn cancel(&mut self) {
        self.after = None;
    }

    /// Ask before replacing `o.path`.
    pub(crate) fn ask_overwrite(&mut self, o: Overwrite) {
        self.overwrite = Some(o);
    }

    /// The file a save would replace, while the question is open.
    pub(crate) fn overwrite(&self) -> Option<&Overwrite> {
        self.overwrite.as_ref()
    }

    /// The question answered.
    pub(crate) fn take_overwrite(&mut self) -> Option<Overwrite> {
        self.overwrite.take()
    }

    /// Write `seq` is done (`Err`: the reason). `None` for a write this flow does not know.
    pub fn written(&mut self, seq: u64, result: Result<(), String>) -> Option<Done> {
        let k = self.writes.iter().position(|(s, _)| *s == seq)?;
        let (_, write) = self.writes.remove(k);
        Some(match write {
            Write::Export { what, path, prefix } => match result {
                Ok(()) => {
                    Done::Export { status: format!("{prefix}已导出 {what} 到 {}", path.display()), error: None }
                }
                Err(e) => {
                    let msg = format!("无法导出到 {}：{e}", path.display());
                    Done::Export { status: format!("导出失败：{msg}"), error: Some(msg) }
                }
            },
            Write::Save { doc_id, path, prefix } => {
                let ok = result.is_ok();
                match result {
                    Ok(()) => self.round_saved.push((prefix, path.clone())),
                    Err(e) => self.round_failed.push(format!("无法保存到 {}：{e}", path.display())),
                }
                Done::Save { doc_id, path, ok, round_over: !self.saving() }
            }
        })
    }

    /// Report the round that just ended (`dirty`: edited while it was written) and hand back
    /// the save queued meanwhile. A failure cancels that and what waited.
    pub(crate) fn end_round(&mut self, dirty: bool) -> RoundEnd {
        let saved = std::mem::take(&mut self.round_saved);
        let failed = std::mem::take(&mut self.round_failed);
        if !failed.is_empty() {
            let msg = failed.join("；");
            let dropped = self.after.take().is_some() | self.next.take().is_some();
            return RoundEnd {
                status: format!("保存失败：{msg}{}", if dropped { "（后续操作已取消）" } else { "" }),
                error: Some(msg),
                next: None,
            };
        }
        let prefix = saved.first().map(|(p, _)| p.clone()).unwrap_or_default();
        let paths: Vec<String> = saved.iter().map(|(_, p)| p.display().to_string()).collect();
        let mut status = format!("{prefix}已保存到 {}", paths.join("、"));
        if dirty {
            status.push_str("（保存期间又有修改，尚未保存）");
        }
        RoundEnd { status, error: None, next: self.next.take() }
    }

    /// What waited for the save, once nothing is written, queued or asked any more and no
    /// dialog (`busy`) is open; `dirty`: edited meanwhile.
    pub(crate) fn resume(&mut self, busy: bool, dirty: bool) -> Option<Resume> {
        if busy || self.saving() || self.next.is_some() || self.overwrite.is_some() {
            return None;
        }
        let after = self.after.take()?;
        Some(if dirty { Resume::Ask(after) } else { Resume::Go(after) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn save(doc_id: u64, path: &str) -> Write {
        Write::Save { doc_id, path: PathBuf::from(path), prefix: String::new() }
    }

    #[test]
    fn a_save_asked_for_while_one_is_written_starts_when_that_round_ends() {
        let mut f = SaveFlow::default();
        f.started(1, save(7, "/a.ron"));
        assert!(f.saving());
        f.queue(NextSave::Again);
        assert_eq!(f.resume(false, false), None);
        let done = f.written(1, Ok(())).unwrap();
        assert_eq!(done, Done::Save { doc_id: 7, path: "/a.ron".into(), ok: true, round_over: true });
        let end = f.end_round(true);
        assert_eq!(end.next, Some(NextSave::Again));
        assert_eq!(end.status, "已保存到 /a.ron（保存期间又有修改，尚未保存）");
        assert!(!f.is_writing());
    }

    #[test]
    fn a_round_of_two_saves_reports_once_both_are_written() {
        let mut f = SaveFlow::default();
        f.started(1, save(1, "/earlier.ron"));
        f.started(2, save(2, "/later.ron"));
        let Done::Save { round_over, .. } = f.written(2, Ok(())).unwrap() else { panic!() };
        assert!(!round_over);
        let Done::Save { round_over, .. } = f.written(1, Ok(())).unwrap() else { panic!() };
        assert!(round_over);
        assert_eq!(f.end_round(false).status, "已保存到 /later.ron、/earlier.ron");
    }

    #[test]
    fn a_failed_save_cancels_what_waited_and_the_queued_save() {
        let mut f = SaveFlow::default();
        f.wait_for_save(AfterConfirm::Quit);
        f.started(1, save(1, "/ro/a.ron"));
        f.queue(NextSave::Again);
        let Done::Save { ok, .. } = f.written(1, Err("只读".into())).unwrap() else { panic!() };
        assert!(!ok);
        let end = f.end_round(false);
        assert_eq!(end.next, None);
        assert_eq!(end.error.as_deref(), Some("无法保存到 /ro/a.ron：只读"));
        assert!(end.status.ends_with("（后续操作已取消）"), "{}", end.status);
        assert_eq!(f.resume(false, false), None);
    }

    #[test]
    fn what_waited_goes_on_only_when_nothing_is_asked_and_asks_again_if_edited() {
        let mut f = SaveFlow::default();
        f.wait_for_save(AfterConfirm::Quit);
        f.ask_overwrite(Overwrite { path: "/a.ron".into(), prefix: String::new() });
        assert_eq!(f.resume(false, false), None);
        assert!(f.take_overwrite().is_some());
        assert_eq!(f.resume(true, false), None, "a dialog is open");
        assert_eq!(f.resume(false, true), Some(Resume::Ask(AfterConfirm::Quit)));
        f.wait_for_save(AfterConfirm::Open("/b.txt".into()));
        assert_eq!(f.resume(false, false), Some(Resume::Go(AfterConfirm::Open("/b.txt".into()))));
        f.wait_for_save(AfterConfirm::Quit);
        f.cancel();
        assert_eq!(f.resume(false, false), None);
    }

    #[test]
    fn an_export_does_not_end_a_round() {
        let mut f = SaveFlow::default();
        f.started(1, save(1, "/a.ron"));
        f.started(2, Write::Export { what: "CSV", path: "/a.csv".into(), prefix: String::new() });
        let done = f.written(2, Err("磁盘已满".into())).unwrap();
        assert_eq!(
            done,
            Done::Export {
                status: "导出失败：无法导出到 /a.csv：磁盘已满".into(),
                error: Some("无法导出到 /a.csv：磁盘已满".into())
            }
        );
        assert!(f.saving());
        assert_eq!(f.written(9, Ok(())), None);
    }
}
