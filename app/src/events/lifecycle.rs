//! The event's life cycle, written once: state × action × actor → the next state and what
//! happens to the text, or a refusal. Every write path (the organizer's form and buttons,
//! the moderators' decisions, « Modifier directement ») asks [`decide`] before it writes.
//!
//! The rule it keeps (PRODUCT.md): **no text reaches the public that a moderator has not
//! seen.**
//! - An event is public while it is published, or cancelled after having been published
//!   (« Annulé » stays listed). An event never published stays private whatever its status:
//!   cancelling a submitted event does not publish it.
//! - The public sees the event's row. An organizer's edit of a public event does not touch
//!   the row: it is kept aside (`pending_input`), flagged for review and shown in the
//!   moderation queue with its differences; the public keeps the approved text meanwhile.
//!   Publishing the edit writes it into the row; asking for changes hands it back to the
//!   organizer (the public version stays); refusing it drops it.
//! - A moderator or an administrator cannot decide on an event of their own; what staff
//!   write directly on someone else's event is seen by a moderator (they are one), so it is
//!   written into the row.
//! - Creating or submitting an event after the edition's referencing window has closed is
//!   refused to organizers (staff excepted); editing stays possible (it goes to review).
use crate::reference::{EventStatus, Role};

/// Where an edit of a public event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edit {
    /// No edit waiting: the row is all there is.
    None,
    /// An edit is kept aside and waits in the moderation queue.
    AwaitingReview,
    /// A moderator asked for changes to the edit: it is back with the organizer.
    Returned,
}

/// An event's state as the life cycle sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct State {
    pub status: EventStatus,
    /// A moderator published it once (`published_at` is set).
    pub was_published: bool,
    pub edit: Edit,
}

impl State {
    pub const fn new(status: EventStatus) -> Self {
        State {
            status,
            was_published: matches!(status, EventStatus::Published),
            edit: Edit::None,
        }
    }

    /// Shown on the public pages, feeds and search.
    pub fn is_public(self) -> bool {
        match self.status {
            EventStatus::Published => true,
            EventStatus::Cancelled => self.was_published,
            _ => false,
        }
    }

    /// Every state an event can be in (the table's rows).
    pub fn all() -> Vec<State> {
        use EventStatus::*;
        let mut states = vec![
            State::new(Draft),
            State::new(Submitted),
            State::new(ChangesRequested),
            State::new(Rejected),
            State {
                status: Cancelled,
                was_published: false,
                edit: Edit::None,
            },
        ];
        for status in [Published, Cancelled] {
            for edit in [Edit::None, Edit::AwaitingReview, Edit::Returned] {
                states.push(State {
                    status,
                    was_published: true,
                    edit,
                });
            }
        }
        states
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Save the form.
    Save,
    /// Save the form and submit it for review.
    SaveAndSubmit,
    /// Submit as it is.
    Submit,
    Cancel,
    Delete,
    Publish,
    RequestChanges,
    Reject,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Save,
        Action::SaveAndSubmit,
        Action::Submit,
        Action::Cancel,
        Action::Delete,
        Action::Publish,
        Action::RequestChanges,
        Action::Reject,
    ];

    pub fn is_decision(self) -> bool {
        matches!(
            self,
            Action::Publish | Action::RequestChanges | Action::Reject
        )
    }
}

/// Who acts, relative to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The organizer whose event it is.
    Owner,
    /// An organizer whose event it is not.
    OtherOrganizer,
    /// A moderator or an administrator, on someone else's event.
    Staff,
    /// A moderator or an administrator, on their own event.
    StaffOwner,
}

impl Actor {
    pub const ALL: [Actor; 4] = [
        Actor::Owner,
        Actor::OtherOrganizer,
        Actor::Staff,
        Actor::StaffOwner,
    ];

    pub fn of(role: Role, owner: bool) -> Actor {
        match (role, owner) {
            (Role::Organizer, true) => Actor::Owner,
            (Role::Organizer, false) => Actor::OtherOrganizer,
            (Role::Moderator | Role::Admin, false) => Actor::Staff,
            (Role::Moderator | Role::Admin, true) => Actor::StaffOwner,
        }
    }

    fn is_staff(self) -> bool {
        matches!(self, Actor::Staff | Actor::StaffOwner)
    }
}

/// What happens to the event's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Content {
    /// Nothing is written.
    Unchanged,
    /// What was typed is written into the row (a private event, or staff's own writing).
    Row,
    /// What was typed is kept aside for review; the row (the public text) stays.
    Pending,
    /// The edit kept aside becomes the row (a moderator published it).
    ApplyPending,
    /// The edit kept aside is dropped (a moderator refused it).
    DiscardPending,
    /// The event is deleted.
    Deleted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub state: State,
    pub content: Content,
}

/// Why an action is refused, each with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// 404: someone else's event is not revealed.
    NotFound,
    /// 403, with the reason.
    Forbidden(&'static str),
    /// 409: not possible in this state, with the reason.
    Conflict(&'static str),
    /// 422 on the form: the referencing window is closed.
    WindowClosed,
}

pub const STAFF_ONLY: &str = "Seule l'équipe de modération peut publier, demander des modifications ou refuser un événement.";
pub const NOT_YOUR_OWN: &str = "Vous ne pouvez pas décider vous-même de vos propres événements : un autre membre de l'équipe doit les relire.";
pub const NOT_WAITING: &str = "Cet événement n'attend pas de relecture.";
pub const ONLY_DRAFTS_SUBMIT: &str =
    "Seul un brouillon ou un événement à modifier peut être soumis.";
pub const ONLY_PUBLIC_OR_SUBMITTED_CANCEL: &str =
    "Seul un événement publié ou soumis peut être annulé. Un brouillon se supprime.";
pub const ONLY_DRAFTS_DELETE: &str =
    "Seul un brouillon peut être supprimé. Un événement publié s'annule.";
pub const CANCELLED_FROZEN: &str = "Cet événement a été annulé avant d'être publié : il ne se modifie plus. Dupliquez-le pour le proposer à nouveau.";
pub const WINDOW_CLOSED: &str = "Le référencement de cette édition est clos : il n'est plus possible de créer ou de soumettre un événement. Écrivez à l'équipe du Mois si votre événement doit encore y figurer.";

/// A new event: a draft, or submitted at once. Organizers may create only while the
/// referencing window is open; staff at any time.
pub fn create(role: Role, submit: bool, window_open: bool) -> Result<State, Refusal> {
    if !window_open && role == Role::Organizer {
        return Err(Refusal::WindowClosed);
    }
    Ok(State::new(if submit {
        EventStatus::Submitted
    } else {
        EventStatus::Draft
    }))
}

/// The table. `window_open`: the referencing window of the event's edition is open today.
pub fn decide(
    state: State,
    action: Action,
    actor: Actor,
    window_open: bool,
) -> Result<Outcome, Refusal> {
    use EventStatus::*;
    if actor == Actor::OtherOrganizer {
        return Err(Refusal::NotFound);
    }
    let same = |content| Ok(Outcome { state, content });
    let to = |status, edit, content| {
        Ok(Outcome {
            state: State {
                status,
                was_published: state.was_published || status == Published,
                edit,
            },
            content,
        })
    };
    let reviewable_draft = matches!(state.status, Draft | ChangesRequested | Rejected);
    let window_refuses = !window_open && !actor.is_staff();
    if action.is_decision() {
        match actor {
            Actor::Owner => return Err(Refusal::Forbidden(STAFF_ONLY)),
            Actor::StaffOwner => return Err(Refusal::Forbidden(NOT_YOUR_OWN)),
            _ => {}
        }
        return match (state.status, action) {
            (Submitted, Action::Publish) => to(Published, Edit::None, Content::Unchanged),
            (Submitted, Action::RequestChanges) => {
                to(ChangesRequested, Edit::None, Content::Unchanged)
            }
            (Submitted, Action::Reject) => to(Rejected, Edit::None, Content::Unchanged),
            _ if state.is_public() && state.edit == Edit::AwaitingReview => match action {
                Action::Publish => to(state.status, Edit::None, Content::ApplyPending),
                Action::RequestChanges => to(state.status, Edit::Returned, Content::Unchanged),
                _ => to(state.status, Edit::None, Content::DiscardPending),
            },
            _ => Err(Refusal::Conflict(NOT_WAITING)),
        };
    }
    match action {
        Action::Save | Action::SaveAndSubmit => {
            let submit = action == Action::SaveAndSubmit && reviewable_draft;
            if submit && window_refuses {
                return Err(Refusal::WindowClosed);
            }
            let status = if submit { Submitted } else { state.status };
            if actor == Actor::Staff {
                // Written by a moderator: seen by one. An edit kept aside is replaced by it.
                return to(status, Edit::None, Content::Row);
            }
            if state.is_public() {
                return to(state.status, Edit::AwaitingReview, Content::Pending);
            }
            if state.status == Cancelled {
                return Err(Refusal::Conflict(CANCELLED_FROZEN));
            }
            to(status, state.edit, Content::Row)
        }
        Action::Submit => {
            if !reviewable_draft {
                return Err(Refusal::Conflict(ONLY_DRAFTS_SUBMIT));
            }
            if window_refuses {
                return Err(Refusal::WindowClosed);
            }
            to(Submitted, Edit::None, Content::Unchanged)
        }
        Action::Cancel => match state.status {
            Published => to(Cancelled, state.edit, Content::Unchanged),
            // Never published: it stays private once cancelled.
            Submitted => Ok(Outcome {
                state: State {
                    status: Cancelled,
                    was_published: false,
                    edit: Edit::None,
                },
                content: Content::Unchanged,
            }),
            _ => Err(Refusal::Conflict(ONLY_PUBLIC_OR_SUBMITTED_CANCEL)),
        },
        Action::Delete => {
            if state.status == Draft {
                same(Content::Deleted)
            } else {
                Err(Refusal::Conflict(ONLY_DRAFTS_DELETE))
            }
        }
        Action::Publish | Action::RequestChanges | Action::Reject => unreachable!(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use EventStatus::*;

    fn st(status: EventStatus, was_published: bool, edit: Edit) -> State {
        State {
            status,
            was_published,
            edit,
        }
    }

    /// The table written out as a reader checks it, row by row, for the owner and staff.
    #[test]
    fn the_table_as_written_in_the_module_doc() {
        let draft = State::new(Draft);
        let submitted = State::new(Submitted);
        let published = State::new(Published);
        let cancelled_public = st(Cancelled, true, Edit::None);
        let awaiting = st(Published, true, Edit::AwaitingReview);
        // Cancelling a submitted event never publishes it.
        let cancelled = decide(submitted, Action::Cancel, Actor::Owner, true).unwrap();
        assert!(!cancelled.state.is_public());
        // …and its text is frozen.
        assert_eq!(
            decide(cancelled.state, Action::Save, Actor::Owner, true),
            Err(Refusal::Conflict(CANCELLED_FROZEN))
        );
        // The owner's edit of a public event is kept aside, published or cancelled.
        for public in [published, cancelled_public] {
            let edit = decide(public, Action::Save, Actor::Owner, false).unwrap();
            assert_eq!(edit.content, Content::Pending);
            assert_eq!(edit.state.edit, Edit::AwaitingReview);
            assert!(edit.state.is_public());
        }
        // Decisions on a kept edit.
        let o = decide(awaiting, Action::Publish, Actor::Staff, true).unwrap();
        assert_eq!((o.state, o.content), (published, Content::ApplyPending));
        let o = decide(awaiting, Action::RequestChanges, Actor::Staff, true).unwrap();
        assert_eq!(o.state, st(Published, true, Edit::Returned));
        let o = decide(awaiting, Action::Reject, Actor::Staff, true).unwrap();
        assert_eq!((o.state, o.content), (published, Content::DiscardPending));
        // Nobody decides on their own event; organizers do not decide at all.
        assert_eq!(
            decide(submitted, Action::Publish, Actor::StaffOwner, true),
            Err(Refusal::Forbidden(NOT_YOUR_OWN))
        );
        assert_eq!(
            decide(submitted, Action::Publish, Actor::Owner, true),
            Err(Refusal::Forbidden(STAFF_ONLY))
        );
        // The window.
        assert_eq!(
            decide(draft, Action::Submit, Actor::Owner, false),
            Err(Refusal::WindowClosed)
        );
        assert!(decide(draft, Action::Submit, Actor::StaffOwner, false).is_ok());
        assert_eq!(
            create(Role::Organizer, false, false),
            Err(Refusal::WindowClosed)
        );
        assert!(create(Role::Moderator, true, false).is_ok());
        // Someone else's event does not exist for an organizer.
        for state in State::all() {
            for action in Action::ALL {
                assert_eq!(
                    decide(state, action, Actor::OtherOrganizer, true),
                    Err(Refusal::NotFound)
                );
            }
        }
    }

    #[test]
    fn what_is_public_stays_public_and_the_private_stays_private() {
        for state in State::all() {
            for action in Action::ALL {
                for actor in Actor::ALL {
                    for window in [true, false] {
                        let Ok(outcome) = decide(state, action, actor, window) else {
                            continue;
                        };
                        // Only a decision by someone else's moderator makes an event public.
                        if outcome.state.is_public() && !state.is_public() {
                            assert_eq!(
                                (action, actor),
                                (Action::Publish, Actor::Staff),
                                "{state:?} {action:?}"
                            );
                        }
                        // A public event stays public (cancelled ones included).
                        if state.is_public() {
                            assert!(outcome.state.is_public(), "{state:?} {action:?} {actor:?}");
                        }
                        // An organizer's writing on a public event never reaches the row.
                        if state.is_public() && actor != Actor::Staff {
                            assert_ne!(outcome.content, Content::Row, "{state:?} {action:?}");
                        }
                    }
                }
            }
        }
    }

    /// The model: each text written gets a number; moderators see a text when they publish it
    /// or write it themselves. Public text must be a seen one, after any sequence.
    #[derive(Debug, Clone)]
    struct Model {
        state: State,
        row: u32,
        pending: Option<u32>,
        seen: Vec<u32>,
        next_text: u32,
        deleted: bool,
    }

    impl Model {
        fn apply(&mut self, action: Action, actor: Actor, window: bool) {
            if self.deleted {
                return;
            }
            let Ok(outcome) = decide(self.state, action, actor, window) else {
                return;
            };
            match outcome.content {
                Content::Unchanged => {}
                Content::Row => {
                    self.next_text += 1;
                    self.row = self.next_text;
                    self.pending = None;
                    if actor == Actor::Staff {
                        self.seen.push(self.row);
                    }
                }
                Content::Pending => {
                    self.next_text += 1;
                    self.pending = Some(self.next_text);
                }
                Content::ApplyPending => {
                    let text = self.pending.take().expect("an edit to publish");
                    self.seen.push(text);
                    self.row = text;
                }
                Content::DiscardPending => self.pending = None,
                Content::Deleted => self.deleted = true,
            }
            if action == Action::Publish && outcome.content == Content::Unchanged {
                self.seen.push(self.row);
            }
            self.state = outcome.state;
        }
    }

    fn any_step() -> impl Strategy<Value = (Action, Actor, bool)> {
        (
            prop::sample::select(Action::ALL.to_vec()),
            prop::sample::select(Actor::ALL.to_vec()),
            any::<bool>(),
        )
    }

    proptest! {
        #[test]
        fn public_text_was_seen_by_a_moderator(steps in prop::collection::vec(any_step(), 1..60)) {
            let mut model = Model {
                state: State::new(Draft),
                row: 0,
                pending: None,
                seen: Vec::new(),
                next_text: 0,
                deleted: false,
            };
            for (action, actor, window) in steps {
                model.apply(action, actor, window);
                if !model.deleted && model.state.is_public() {
                    prop_assert!(model.seen.contains(&model.row), "{model:?}");
                }
                // The kept edit exists exactly while the state says so.
                prop_assert_eq!(model.pending.is_some(), !model.deleted && model.state.edit != Edit::None);
            }
        }
    }
}
