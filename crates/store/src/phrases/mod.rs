//! 常用语: a person's own phrases and those shared under an area.

use async_trait::async_trait;
use civicgrid_domain::{AreaCode, Phrase, PhraseKind};

use crate::Result;

/// Phrases kept to be picked instead of typed.
#[async_trait]
pub trait PhraseStore: Send + Sync {
    /// Keeps a phrase.
    async fn add_phrase(&self, p: &Phrase) -> Result<()>;
    /// The phrases for a person of `scope`: his own and those shared with an area above (or at)
    /// his scope, of one kind when given; shared first, then in the order they were kept.
    async fn phrases(&self, user_id: &str, scope: &AreaCode, kind: Option<PhraseKind>) -> Result<Vec<Phrase>>;
    /// One phrase.
    async fn phrase(&self, id: &str) -> Result<Option<Phrase>>;
    /// How many phrases are this person's own.
    async fn own_phrases(&self, user_id: &str) -> Result<u64>;
    /// Removes a phrase; false if there was none.
    async fn remove_phrase(&self, id: &str) -> Result<bool>;
}
