use leptos::prelude::*;

use crate::error::AppError;

/// A failed load, with a button that tries again.
#[component]
pub fn ErrorPanel(error: AppError, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert">
            <p>"Sorry, " {error.to_string()} "."</p>
            <button type="button" class="retry" on:click=move |_| retry()>"Try again"</button>
        </div>
    }
}
