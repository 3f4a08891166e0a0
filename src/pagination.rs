//! Streams over the `{data, meta}` list operations: every item, page after page.
//!
//! The pipeline picks the paginated operations from the spec (a `page` and a `perPage` query
//! parameter and a `{data, meta}` body) and gives each builder `into_stream()`:
//!
//! ```no_run
//! # async fn run(anam: &anam::Client) -> anam::Result<()> {
//! use futures_util::TryStreamExt;
//!
//! let personas: Vec<_> = anam.personas().list().search("support").into_stream().try_collect().await?;
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::num::NonZeroU64;
use std::pin::Pin;

use futures_util::Stream;

use crate::Result;
use crate::request::Operation;
use crate::types::Pagination;

/// A stream of items from a paginated list; an error is its last item.
pub type ItemStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T>> + Send + 'a>>;

/// A generated list builder taking `page`/`perPage` and answering `{data, meta}`; the
/// pipeline implements it for every such operation.
pub trait Paginated: Operation + Clone {
    /// One element of `data`.
    type Item: Clone + PartialEq + Send;
    /// Asks for page `page` (1-based).
    fn with_page(self, page: NonZeroU64) -> Self;
    /// Asks for `size` items per page.
    fn with_page_size(self, size: NonZeroU64) -> Self;
    /// True when the caller set `per_page` on the builder.
    fn has_page_size(&self) -> bool;
    /// Splits a page into its items and its metadata.
    fn into_items(page: Self::Output) -> (Vec<Self::Item>, Option<Pagination>);
}

/// Where a stream is.
///
/// The stream moves its state once per item, so the large parts are boxed.
struct Cursor<B: Paginated> {
    template: Box<B>,
    page: u64,
    buffer: VecDeque<B::Item>,
    previous: Option<Box<PageMark<B::Item>>>,
    done: bool,
}

/// What identifies a page well enough to notice the server sending it again: its length and
/// its first and last items (two clones a page, not a copy of every item).
#[derive(PartialEq)]
struct PageMark<T> {
    len: usize,
    first: Option<T>,
    last: Option<T>,
}

impl<T: Clone> PageMark<T> {
    fn of(items: &[T]) -> Self {
        Self {
            len: items.len(),
            first: items.first().cloned(),
            last: items.last().cloned(),
        }
    }
}

/// Every item of every page of `builder`'s list: follows `meta.next`, at the page size set on
/// the builder or else the spec's `perPage` maximum; ends after the last page, on an empty
/// page, or if the server sends the same page twice; an error is yielded once and ends it.
pub(crate) fn stream<'a, B: Paginated + 'a>(builder: B) -> ItemStream<'a, B::Item> {
    let max = crate::spec::operation(B::ID)
        .and_then(|op| op.max_page_size)
        .and_then(NonZeroU64::new);
    let template = match max {
        Some(size) if !builder.has_page_size() => builder.with_page_size(size),
        _ => builder,
    };
    let cursor = Cursor {
        template: Box::new(template),
        page: 1,
        buffer: VecDeque::new(),
        previous: None,
        done: false,
    };
    Box::pin(futures_util::stream::unfold(cursor, next_item))
}

async fn next_item<B: Paginated>(mut cursor: Cursor<B>) -> Option<(Result<B::Item>, Cursor<B>)> {
    loop {
        if let Some(item) = cursor.buffer.pop_front() {
            return Some((Ok(item), cursor));
        }
        if cursor.done {
            return None;
        }
        let page = NonZeroU64::new(cursor.page).unwrap_or(NonZeroU64::MIN);
        let request = B::clone(&cursor.template).with_page(page);
        let (items, meta) = match crate::request::body(request).await {
            Ok(output) => B::into_items(output),
            Err(error) => {
                cursor.done = true;
                return Some((Err(error), cursor));
            }
        };
        if items.is_empty() {
            return None;
        }
        let mark = Box::new(PageMark::of(&items));
        if cursor.previous.as_ref() == Some(&mark) {
            tracing::warn!(
                operation = B::ID,
                page = cursor.page,
                "the server repeated a page; stopping"
            );
            return None;
        }
        match meta
            .and_then(|m| m.next)
            .and_then(|n| u64::try_from(n).ok())
        {
            Some(next) if next > cursor.page => cursor.page = next,
            _ => cursor.done = true,
        }
        cursor.previous = Some(mark);
        cursor.buffer.extend(items);
    }
}
