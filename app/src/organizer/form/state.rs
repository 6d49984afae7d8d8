//! The form's state: every field of [`EventInput`] as a signal its input binds to (the fields
//! are listed once, in `form_fields!`), and the checks shown on them.
use leptos::prelude::*;

use crate::error::FieldError;
use crate::organizer::validation::{EventInput, Rules};
use crate::reference::Mode;

/// How an input holds a field of [`EventInput`]: an id or a mode as the text of its
/// `<select>` or radio buttons (empty: none chosen), any other field as it is.
pub(super) trait FormValue: Sized {
    type Held: Clone + Send + Sync + 'static;
    fn hold(&self) -> Self::Held;
    fn read(held: Self::Held) -> Self;
}

macro_rules! as_it_is {
    ($($ty:ty),*) => {$(
        impl FormValue for $ty {
            type Held = $ty;
            fn hold(&self) -> $ty {
                self.clone()
            }
            fn read(held: $ty) -> $ty {
                held
            }
        }
    )*};
}
as_it_is!(String, bool, Vec<i64>);

impl FormValue for Option<i64> {
    type Held = String;
    fn hold(&self) -> String {
        self.map(|i| i.to_string()).unwrap_or_default()
    }
    fn read(held: String) -> Self {
        held.parse().ok()
    }
}

impl FormValue for Option<Mode> {
    type Held = String;
    fn hold(&self) -> String {
        self.map(|m| m.as_str().to_string()).unwrap_or_default()
    }
    fn read(held: String) -> Self {
        Mode::parse(&held)
    }
}

/// Writes [`FormSignals`] and its two conversions from the one list of the fields (named as
/// in [`EventInput`]): a field missing from the list does not compile.
macro_rules! form_fields {
    ($($name:ident: $ty:ty,)*) => {
        /// Every field of the form as its own signal (inputs bind to them), read back as one
        /// `EventInput` for validation and saving.
        #[derive(Clone, Copy)]
        pub(super) struct FormSignals {
            $(pub(super) $name: RwSignal<<$ty as FormValue>::Held>,)*
        }

        impl FormSignals {
            pub(super) fn new(input: &EventInput) -> Self {
                FormSignals {
                    $($name: RwSignal::new(input.$name.hold()),)*
                }
            }

            /// Puts another version in the form (kept, queued or saved meanwhile).
            pub(super) fn set(&self, input: &EventInput) {
                $(self.$name.set(input.$name.hold());)*
            }

            /// The form as typed (tracked: re-runs whoever reads it when a field changes).
            pub(super) fn input(&self) -> EventInput {
                EventInput {
                    $($name: <$ty as FormValue>::read(self.$name.get()),)*
                }
            }
        }
    };
}

form_fields! {
    title: String,
    summary: String,
    description: String,
    themes: Vec<i64>,
    format_id: Option<i64>,
    mode: Option<Mode>,
    audience_id: Option<i64>,
    structure_name: String,
    organizer_type_id: Option<i64>,
    lab_id: Option<i64>,
    region_code: String,
    department_code: String,
    city: String,
    venue_name: String,
    venue_address: String,
    postal_code: String,
    online_url: String,
    starts_local: String,
    ends_local: String,
    out_of_period: bool,
    out_of_period_reason: String,
    registration_url: String,
    capacity: String,
    contact_name: String,
    contact_email: String,
    accessibility: String,
}

impl FormSignals {
    pub(super) fn input_untracked(&self) -> EventInput {
        untrack(|| self.input())
    }

    /// The chosen mode has a venue (or none is chosen yet).
    pub(super) fn has_venue(&self) -> bool {
        Mode::parse(&self.mode.get()).is_none_or(Mode::has_venue)
    }

    pub(super) fn is_online(&self) -> bool {
        Mode::parse(&self.mode.get()).is_some_and(Mode::is_online)
    }
}

/// What the form says about its fields. Validation: the shared rules, on every change; shown
/// per field once it was left, and everywhere after a save attempt. The server's answer is
/// authoritative.
#[derive(Clone, Copy)]
pub(super) struct Checks {
    /// The shared rules' errors on the form as typed.
    pub(super) client: Memo<Vec<FieldError>>,
    /// The fields left once (their errors are shown).
    touched: RwSignal<Vec<&'static str>>,
    /// Every error is shown (after a save attempt).
    pub(super) show_all: RwSignal<bool>,
    /// The server's refusal, until the next change.
    pub(super) server: RwSignal<Vec<FieldError>>,
}

impl Checks {
    /// `errors`: those of a form posted without JavaScript that came back.
    pub(super) fn new(signals: FormSignals, rules: Rules, errors: Vec<FieldError>) -> Self {
        Checks {
            client: Memo::new(move |_| signals.input().validate(&rules).err().unwrap_or_default()),
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(!errors.is_empty()),
            server: RwSignal::new(errors),
        }
    }

    /// The message shown on a field, if any.
    pub(super) fn error(self, name: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            if let Some(m) = self.server.with(|v| {
                v.iter()
                    .find(|e| e.field == name)
                    .map(|e| e.message.clone())
            }) {
                return Some(m);
            }
            if self.show_all.get() || self.touched.with(|t| t.contains(&name)) {
                self.client.with(|v| {
                    v.iter()
                        .find(|e| e.field == name)
                        .map(|e| e.message.clone())
                })
            } else {
                None
            }
        })
    }

    /// The field was left (or changed, for a group of boxes): its errors are shown from now.
    pub(super) fn touch(self, name: &'static str) {
        self.touched.update(|t| {
            if !t.contains(&name) {
                t.push(name)
            }
        })
    }

    pub(super) fn blur(self, name: &'static str) -> Callback<()> {
        Callback::new(move |_: ()| self.touch(name))
    }

    /// The errors of the summary above the form: `(id of the field, message)`.
    pub(super) fn summary(self) -> Vec<(Option<String>, String)> {
        let mut errors = self.server.get();
        if self.show_all.get() {
            for e in self.client.get() {
                if !errors.iter().any(|x| x.field == e.field) {
                    errors.push(e);
                }
            }
        }
        errors
            .into_iter()
            .map(|e| (Some(e.field), e.message))
            .collect()
    }
}
