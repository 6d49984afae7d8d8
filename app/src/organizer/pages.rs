//! Organizer pages.
