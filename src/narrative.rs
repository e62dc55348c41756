//! Figures a report states in its prose.
