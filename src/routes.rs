//! Hash routes: the address names where the researcher is, so reload (F5), Back/Forward and a
//! pasted link keep or find the place. Hash routing works from `file://` too.
//!
//! ```text
//! #/                                   the home screen (project list)
//! #/p/<project>/read                   reading view (no source open)
//! #/p/<project>/read/<source>          reading view of a source
//! #/p/<project>/read/<source>?at=S-E   ... scrolled to the passage of bytes S..E, highlighted
//! #/p/<project>/cases                  the case table
//! #/p/<project>/matrix                 framework matrices (the last one looked at)
//! #/p/<project>/matrix/<matrix>        one matrix
//! #/p/<project>/themes                 themes and sets
//! #/p/<project>/search                 text search over the sources
//! #/p/<project>/crosstab               crosstabs and code co-occurrence
//! #/p/<project>/agreement              agreement between coders
//! #/p/<project>/charts                 charts (drawn in the worker)
//! #/p/<project>/reports                reports (written in the worker)
//! #/p/<project>/memos                  every memo and annotation (the memo list)
//! #/p/<project>/codes/<code>           the coded segments of a code (retrieval)
//! ```
//!
//! Parsing is pure (tested natively); anything it does not understand is the home screen or the
//! project's reading view, never an error.

use framewise_core::{CaseId, CodeId, MatrixId, ProjectId, SourceId, Span};

/// A place inside a project.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Place {
    /// The reading view, of a source if named, scrolled to a passage if given.
    Read {
        /// The open source.
        source: Option<SourceId>,
        /// A passage of it (UTF-8 byte offsets).
        passage: Option<Span>,
    },
    /// The case table, with a case active if named.
    Cases(Option<CaseId>),
    /// Framework matrices.
    Matrix(Option<MatrixId>),
    /// Themes and sets.
    Themes,
    /// Text search (the query is kept by the view, not in the address, for now).
    Search,
    /// Crosstabs and code co-occurrence.
    Crosstab,
    /// Agreement between coders.
    Agreement,
    /// Charts.
    Charts,
    /// Reports.
    Reports,
    /// The memo list.
    Memos,
    /// The coded segments of a code.
    Code(CodeId),
}

/// Where the address points.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Route {
    /// The home screen.
    Home,
    /// A place in a project.
    Project(ProjectId, Place),
}

impl Route {
    /// Reads a location hash (`#/p/...`, with or without the `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let (Some(&"p"), Some(id)) = (
            parts.first(),
            parts.get(1).and_then(|p| ProjectId::parse(p)),
        ) else {
            return Route::Home;
        };
        let rest = parts.get(2..).unwrap_or(&[]);
        let place = match rest {
            ["cases"] => Place::Cases(None),
            ["cases", c, ..] => Place::Cases(CaseId::parse(c)),
            ["themes", ..] => Place::Themes,
            ["search", ..] => Place::Search,
            ["crosstab", ..] => Place::Crosstab,
            ["agreement", ..] => Place::Agreement,
            ["charts", ..] => Place::Charts,
            ["reports", ..] => Place::Reports,
            ["memos", ..] => Place::Memos,
            ["matrix"] => Place::Matrix(None),
            ["matrix", m, ..] => Place::Matrix(MatrixId::parse(m)),
            ["codes", c, ..] => match CodeId::parse(c) {
                Some(c) => Place::Code(c),
                None => Place::Read {
                    source: None,
                    passage: None,
                },
            },
            ["read", s, ..] => {
                let source = SourceId::parse(s);
                let passage = source.and(query.and_then(passage_of));
                Place::Read { source, passage }
            }
            _ => Place::Read {
                source: None,
                passage: None,
            },
        };
        Route::Project(id, place)
    }

    /// The location hash of this route (`#/p/...`).
    pub fn to_hash(self) -> String {
        match self {
            Route::Home => "#/".to_string(),
            Route::Project(p, place) => match place {
                Place::Read {
                    source: None,
                    passage: _,
                } => format!("#/p/{p}/read"),
                Place::Read {
                    source: Some(s),
                    passage: None,
                } => format!("#/p/{p}/read/{s}"),
                Place::Read {
                    source: Some(s),
                    passage: Some(span),
                } => format!("#/p/{p}/read/{s}?at={}-{}", span.start, span.end),
                Place::Cases(None) => format!("#/p/{p}/cases"),
                Place::Cases(Some(c)) => format!("#/p/{p}/cases/{c}"),
                Place::Matrix(None) => format!("#/p/{p}/matrix"),
                Place::Matrix(Some(m)) => format!("#/p/{p}/matrix/{m}"),
                Place::Themes => format!("#/p/{p}/themes"),
                Place::Search => format!("#/p/{p}/search"),
                Place::Crosstab => format!("#/p/{p}/crosstab"),
                Place::Agreement => format!("#/p/{p}/agreement"),
                Place::Charts => format!("#/p/{p}/charts"),
                Place::Reports => format!("#/p/{p}/reports"),
                Place::Memos => format!("#/p/{p}/memos"),
                Place::Code(c) => format!("#/p/{p}/codes/{c}"),
            },
        }
    }

    /// The project named, if any.
    pub fn project(self) -> Option<ProjectId> {
        match self {
            Route::Home => None,
            Route::Project(p, _) => Some(p),
        }
    }
}

/// `at=S-E` in a query string, as a span (S ≤ E).
fn passage_of(query: &str) -> Option<Span> {
    let value = query.split('&').find_map(|kv| kv.strip_prefix("at="))?;
    let (a, b) = value.split_once('-')?;
    let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
    (a <= b).then(|| Span::new(a, b))
}

/// The browser's side: read the hash, push a new entry, replace the current one.
#[cfg(target_arch = "wasm32")]
pub mod browser {
    use super::Route;

    /// The route in the address bar now.
    pub fn current() -> Route {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        Route::parse(&hash)
    }

    /// Shows `route` in the address bar as a new history entry (Back returns to the one before);
    /// nothing happens when it is already there.
    pub fn push(route: Route) {
        set(route, false);
    }

    /// Shows `route` in the address bar in place of the current entry.
    pub fn replace(route: Route) {
        set(route, true);
    }

    fn set(route: Route, replace: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let hash = route.to_hash();
        if window.location().hash().ok().as_deref() == Some(hash.as_str()) {
            return;
        }
        let Ok(history) = window.history() else {
            return;
        };
        let state = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&state, "", Some(&hash))
        } else {
            history.push_state_with_url(&state, "", Some(&hash))
        };
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const P: &str = "0b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b";
    const S: &str = "1b7c1d4e-52a1-4c3f-9a55-1c2d3e4f5a6b";

    fn project() -> ProjectId {
        ProjectId::parse(P).unwrap()
    }

    #[test]
    fn every_place_survives_a_round_trip() {
        let s = SourceId::parse(S).unwrap();
        let m = MatrixId::parse(S).unwrap();
        let c = CodeId::parse(S).unwrap();
        let k = CaseId::parse(S).unwrap();
        let places = [
            Place::Read {
                source: None,
                passage: None,
            },
            Place::Read {
                source: Some(s),
                passage: None,
            },
            Place::Read {
                source: Some(s),
                passage: Some(Span::new(10, 42)),
            },
            Place::Cases(None),
            Place::Cases(Some(k)),
            Place::Matrix(None),
            Place::Matrix(Some(m)),
            Place::Themes,
            Place::Search,
            Place::Crosstab,
            Place::Agreement,
            Place::Charts,
            Place::Reports,
            Place::Memos,
            Place::Code(c),
        ];
        for place in places {
            let route = Route::Project(project(), place);
            assert_eq!(Route::parse(&route.to_hash()), route, "{}", route.to_hash());
        }
        assert_eq!(Route::parse(&Route::Home.to_hash()), Route::Home);
    }

    #[test]
    fn a_passage_link_names_the_source_and_the_bytes() {
        let route = Route::parse(&format!("#/p/{P}/read/{S}?at=120-180"));
        assert_eq!(
            route,
            Route::Project(
                project(),
                Place::Read {
                    source: SourceId::parse(S),
                    passage: Some(Span::new(120, 180))
                }
            )
        );
    }

    #[test]
    fn the_search_view_has_its_address() {
        let route = Route::Project(project(), Place::Search);
        assert_eq!(route.to_hash(), format!("#/p/{P}/search"));
        assert_eq!(Route::parse(&format!("#/p/{P}/search")), route);
        // Anything after it (a query, some day) still names the search view.
        assert_eq!(Route::parse(&format!("#/p/{P}/search/x?q=care")), route);
    }

    #[test]
    fn what_is_not_understood_is_home_or_the_reading_view() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#"), Route::Home);
        assert_eq!(Route::parse("#/p/not-an-id/read"), Route::Home);
        let read = Route::Project(
            project(),
            Place::Read {
                source: None,
                passage: None,
            },
        );
        assert_eq!(Route::parse(&format!("#/p/{P}")), read);
        assert_eq!(Route::parse(&format!("#/p/{P}/nowhere")), read);
        assert_eq!(Route::parse(&format!("#/p/{P}/codes/x")), read);
        // A reversed or broken passage is dropped, the source kept.
        for q in ["at=9-3", "at=x-3", "at=5", "other=1"] {
            assert_eq!(
                Route::parse(&format!("#/p/{P}/read/{S}?{q}")),
                Route::Project(
                    project(),
                    Place::Read {
                        source: SourceId::parse(S),
                        passage: None
                    }
                )
            );
        }
    }
}
