//! Stable entity identifiers. Every entity gets a UUID once, at creation, and keeps it for life
//! (REFI-QDA exchange needs GUIDs that stay stable). Core never draws randomness itself: callers
//! pass 16 random bytes (the app takes them from `crypto.getRandomValues`).

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A version-4 UUID made from 16 random bytes.
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
            }
            /// Parses the hyphenated (or braced, any case) form.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::parse_str(text.trim().trim_start_matches('{').trim_end_matches('}'))
                    .ok()
                    .map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

id_type!(
    /// Identifies a project.
    ProjectId
);
id_type!(
    /// Identifies a source (transcript, field notes, document).
    SourceId
);
id_type!(
    /// Identifies a code in the codebook.
    CodeId
);
id_type!(
    /// Identifies one coding (a coded segment).
    CodingId
);

id_type!(
    /// Identifies a case (a site, a participant...).
    CaseId
);
id_type!(
    /// Identifies a case attribute (a variable such as rurality).
    AttributeId
);
id_type!(
    /// Identifies a framework matrix.
    MatrixId
);
id_type!(
    /// Identifies a set of codes (a theme that cuts across the codebook tree).
    SetId
);
id_type!(
    /// Identifies a saved search (a named query).
    QueryId
);

id_type!(
    /// Identifies an annotation (a comment on a passage or a coding).
    AnnotationId
);

/// Makes fresh ids from a source of random bytes. The app implements it with the browser's
/// crypto; tests use [`SeqIds`].
pub trait IdSource {
    /// 16 random (or, in tests, unique) bytes.
    fn next_bytes(&mut self) -> [u8; 16];
    /// A fresh [`SourceId`].
    fn source_id(&mut self) -> SourceId {
        SourceId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`CodeId`].
    fn code_id(&mut self) -> CodeId {
        CodeId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`CodingId`].
    fn coding_id(&mut self) -> CodingId {
        CodingId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`CaseId`].
    fn case_id(&mut self) -> CaseId {
        CaseId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`AttributeId`].
    fn attribute_id(&mut self) -> AttributeId {
        AttributeId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`MatrixId`].
    fn matrix_id(&mut self) -> MatrixId {
        MatrixId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`SetId`].
    fn set_id(&mut self) -> SetId {
        SetId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`QueryId`].
    fn query_id(&mut self) -> QueryId {
        QueryId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`AnnotationId`].
    fn annotation_id(&mut self) -> AnnotationId {
        AnnotationId::from_random_bytes(self.next_bytes())
    }
    /// A fresh [`ProjectId`].
    fn project_id(&mut self) -> ProjectId {
        ProjectId::from_random_bytes(self.next_bytes())
    }
}

/// Deterministic ids for tests and the built-in demo: a counter mixed with a seed.
#[derive(Debug, Clone)]
pub struct SeqIds {
    seed: u64,
    counter: u64,
}

impl SeqIds {
    /// A sequence starting at zero for this seed.
    pub fn new(seed: u64) -> Self {
        Self { seed, counter: 0 }
    }
}

impl IdSource for SeqIds {
    fn next_bytes(&mut self) -> [u8; 16] {
        self.counter += 1;
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.seed.to_be_bytes());
        bytes[8..].copy_from_slice(&self.counter.to_be_bytes());
        bytes
    }
}
