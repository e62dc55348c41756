//! The command line: `nianbao export`, `nianbao check`, `nianbao compare`.
