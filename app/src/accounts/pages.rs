//! Account pages.
