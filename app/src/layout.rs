//! The frame around every page: a header that collapses into a menu on phones.

use leptos::prelude::*;

/// Links shown in the header, in order.
const NAV: [(&str, &str); 3] = [("/dashboard", "Dashboard"), ("/portal", "Talent portal"), ("/llms.txt", "API docs")];

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // The phone menu is a `<details>`: it opens without a script, and a link opens a new page.
    view! {
        // `data-hydrated` turns true once the page's islands are (app/src/hydration.rs).
        <div id="app" class="flex min-h-dvh flex-col" data-hydrated="false">
            <header class="sticky top-0 z-10 border-b border-slate-200 bg-white/95 backdrop-blur">
                <div class="relative mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
                    <a href="/" class="text-lg font-semibold tracking-tight">"HumanDispatch"</a>
                    <details id="menu" class="md:hidden">
                        <summary
                            class="block cursor-pointer list-none rounded-md p-2 text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 [&::-webkit-details-marker]:hidden"
                            aria-label="Menu"
                        >
                            <svg class="h-6 w-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
                                <path stroke-linecap="round" d="M4 6h16M4 12h16M4 18h16" />
                            </svg>
                        </summary>
                        <nav id="mobile-nav" class="absolute inset-x-0 top-full border-b border-slate-200 bg-white px-4 py-2 shadow-sm" aria-label="Mobile">
                            {NAV.iter().map(|(href, label)| view! {
                                <a href=*href class="block rounded-md px-2 py-3 text-base font-medium text-slate-700 hover:bg-slate-100">{*label}</a>
                            }).collect_view()}
                        </nav>
                    </details>
                    <nav id="main-nav" class="hidden gap-6 text-sm font-medium md:flex" aria-label="Main">
                        {NAV.iter().map(|(href, label)| view! { <a href=*href class="text-slate-600 hover:text-slate-900">{*label}</a> }).collect_view()}
                    </nav>
                </div>
            </header>
            <main class="mx-auto w-full max-w-5xl flex-1 px-4 py-6">{children()}</main>
            <footer class="border-t border-slate-200 px-4 py-4 text-center text-xs text-slate-500">
                "HumanDispatch · " <a href="/openapi.json" class="underline">"OpenAPI"</a> " · "
                <a href="/llms.txt" class="underline">"llms.txt"</a>
            </footer>
        </div>
    }
}
