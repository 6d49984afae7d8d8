//! Pages that visitors of the programme never open (accounts, organizer, moderation,
//! administration, report, labs) are lazy routes: their code is split out of the main wasm
//! into chunks (`cargo leptos build --split`) that the browser fetches only when such a page
//! is opened. The server renders them like any other page.
//!
//! A lazy route is a type whose `view` is compiled into its own wasm module; `data` runs in
//! the main module and has nothing to load here (each page loads its own data).
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($($route:ident => $page:path;)*) => {$(
        #[derive(Clone, Copy, Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    SignInRoute => crate::accounts::pages::SignInPage;
    SignUpRoute => crate::accounts::pages::SignUpPage;
    ConfirmEmailRoute => crate::accounts::pages::ConfirmEmailPage;
    ForgotPasswordRoute => crate::accounts::pages::ForgotPasswordPage;
    ResetPasswordRoute => crate::accounts::pages::ResetPasswordPage;
    AccountRoute => crate::accounts::pages::AccountPage;
    DashboardRoute => crate::organizer::pages::DashboardPage;
    EventFormRoute => crate::organizer::pages::EventFormPage;
    QueueRoute => crate::moderation::pages::QueuePage;
    ReviewRoute => crate::moderation::pages::ReviewPage;
    EditionsAdminRoute => crate::admin::pages::EditionsPage;
    VocabulariesRoute => crate::admin::pages::VocabulariesPage;
    AccountsAdminRoute => crate::admin::pages::AccountsPage;
    ImportRoute => crate::admin::pages::ImportPage;
    LabsAdminRoute => crate::admin::pages::LabsAdminPage;
    ReportRoute => crate::editions::report::ReportPage;
    AtlasRoute => crate::labs::pages::AtlasPage;
    LabRoute => crate::labs::pages::LabPage;
}
