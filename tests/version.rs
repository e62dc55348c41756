//! `nianbao --version` and `-V`, in-process through the command line's entry point: one line,
//! the crate's version, exit 0, nothing on stderr; and `is_command` routes both to the command
//! line rather than the window.

use nianbao::cli;
use std::ffi::{OsStr, OsString};

#[test]
fn version_prints_the_crate_version() {
    for flag in ["--version", "-V"] {
        assert!(cli::is_command(OsStr::new(flag)), "{flag} must not open the window");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(cli::run_with(&[OsString::from(flag)], &mut out, &mut err), cli::EXIT_OK, "{flag}");
        assert_eq!(String::from_utf8(out).unwrap(), format!("nianbao {}\n", env!("CARGO_PKG_VERSION")), "{flag}");
        assert!(err.is_empty(), "{flag}");
    }
    let v = env!("CARGO_PKG_VERSION");
    assert!(v.split('.').count() == 3 && v.split('.').all(|n| n.parse::<u32>().is_ok()), "{v}");
}
