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
//!
//! How the next page is found, from each page's `meta`: `next` when the server sends it;
//! otherwise the page after `currentPage` while it is below `lastPage`; otherwise the next
//! page while the items seen are fewer than `total`. A list that ends before the server said
//! it would (an empty or repeated page while `lastPage` or `total` says more remain) is
//! [`crate::Error::IncompleteList`], never a short success. A stream
//! starts at the page set on the builder (`.page(3)`), else at 1.
//!
//! `into_raw_stream()` is the same walk with each item as the server sent it
//! ([`RawItem`]): its JSON text beside its decode.

use std::num::NonZeroU64;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::request::Operation;
use crate::types::Pagination;
use crate::{DecodeError, Error, Result};

/// A generated list builder taking `page`/`perPage` and answering `{data, meta}`; the
/// pipeline implements it for every such operation. Example in the [module
/// documentation](self).
pub trait Paginated: Operation + Clone {
    /// One element of `data`.
    type Item: Clone + PartialEq + Send;
    /// Asks for page `page` (1-based).
    fn with_page(self, page: NonZeroU64) -> Self;
    /// Asks for `size` items per page.
    fn with_page_size(self, size: NonZeroU64) -> Self;
    /// True when the caller set `per_page` on the builder.
    fn has_page_size(&self) -> bool;
    /// The page the caller set on the builder (`page`), where a stream starts; `None` starts
    /// at 1.
    fn start_page(&self) -> Option<NonZeroU64> {
        None
    }
    /// Splits a page into its items and its metadata.
    fn into_items(page: Self::Output) -> (Vec<Self::Item>, Option<Pagination>);
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

/// A count from `meta`, when it is a positive number.
fn count(value: Option<i64>) -> Option<u64> {
    value.and_then(|n| u64::try_from(n).ok())
}

/// Where a walk over the pages is: the page asked for, the items seen, what the server
/// promised, and the page before (to notice a repeat). The same rules for the typed and the
/// raw streams.
struct Cursor<M> {
    operation: &'static str,
    /// The page being (or to be) fetched.
    page: u64,
    /// The page the walk started at.
    start: u64,
    /// Items on the pages before `start` (from `perPage`) plus every item handed out.
    seen: u64,
    /// The last `lastPage` the server sent.
    last_page: Option<u64>,
    /// The last `total` the server sent.
    total: Option<u64>,
    previous: Option<M>,
    done: bool,
}

impl<M: PartialEq> Cursor<M> {
    fn new(operation: &'static str, start: u64) -> Self {
        Self {
            operation,
            page: start,
            start,
            seen: 0,
            last_page: None,
            total: None,
            previous: None,
            done: false,
        }
    }

    /// Takes in page `self.page`: `len` items, identified by `mark`, and its `meta`. Ok(true)
    /// when its items are to be handed out (and the next page is chosen, or the walk marked
    /// done); Ok(false) when the list has ended; an error when it ended before the server
    /// said it would. Either way after Ok(false) or an error the walk is done.
    fn take(&mut self, len: usize, mark: M, meta: Option<&Pagination>) -> Result<bool> {
        if let Some(meta) = meta {
            self.last_page = count(meta.last_page).or(self.last_page);
            self.total = count(meta.total).or(self.total);
            if self.page == self.start && self.start > 1 {
                // The pages skipped hold `perPage` items each (else as many as this one).
                let per_page = count(meta.per_page).unwrap_or(len as u64);
                self.seen = (self.start - 1).saturating_mul(per_page);
            }
        }
        if len == 0 {
            self.done = true;
            return self.ended();
        }
        if self.previous.as_ref() == Some(&mark) {
            tracing::warn!(
                operation = self.operation,
                page = self.page,
                "the server repeated a page; stopping"
            );
            self.done = true;
            return self.ended();
        }
        self.seen = self.seen.saturating_add(len as u64);
        let current = count(meta.and_then(|m| m.current_page))
            .unwrap_or(self.page)
            .max(self.page);
        let next = count(meta.and_then(|m| m.next))
            .filter(|&next| next > self.page)
            .or_else(|| {
                self.last_page
                    .filter(|&last| current < last)
                    .map(|_| current + 1)
            })
            .or_else(|| self.total.filter(|&t| self.seen < t).map(|_| current + 1));
        match next {
            Some(next) => self.page = next,
            None => self.done = true,
        }
        self.previous = Some(mark);
        Ok(true)
    }

    /// The list ended at `self.page` (empty or repeated): fine, unless the server said more
    /// remain.
    fn ended(&self) -> Result<bool> {
        let more = match (self.total, self.last_page) {
            (Some(total), _) => self.seen < total,
            // An empty list may still say it has one (empty) page.
            (None, Some(last)) => self.page <= last && !(self.page == 1 && last == 1),
            (None, None) => false,
        };
        if more {
            Err(Error::IncompleteList {
                operation: self.operation,
                page: self.page,
                items: self.seen,
                last_page: self.last_page,
                total: self.total,
            })
        } else {
            Ok(false)
        }
    }
}

/// The builder every page is asked with (the spec's largest page size unless the caller set
/// one) and the page to start at.
fn template<B: Paginated>(builder: B) -> (B, u64) {
    let start = builder.start_page().map_or(1, NonZeroU64::get);
    let max = crate::spec::operation(B::ID)
        .and_then(|op| op.max_page_size)
        .and_then(NonZeroU64::new);
    let template = match max {
        Some(size) if !builder.has_page_size() => builder.with_page_size(size),
        _ => builder,
    };
    (template, start)
}

/// Every item of every page of `builder`'s list, from the page set on it (else 1), at the
/// page size set on it or else the spec's `perPage` maximum; see the [module
/// documentation](self) for how the next page is found and when a list ends.
pub(crate) fn stream<'a, B>(builder: B) -> Pages<'a, B>
where
    B: Paginated + Unpin + 'a,
    B::Item: Unpin,
{
    let (template, start) = template(builder);
    Pages {
        template,
        items: Vec::new().into_iter(),
        cursor: Cursor::new(B::ID, start),
        pending: None,
    }
}

/// Every item of every page of a list, as a [`Stream`] of [`Result`]s; an error is its last
/// item. Returned by `into_stream()` on a list builder.
///
/// It is `Unpin`, so `.next().await` needs no pinning. Items are handed out of the current
/// page's own vector and the next page is fetched when it runs out; the type is concrete (not
/// a boxed `dyn Stream`), so the consumer's loop inlines it and an item is not copied on its
/// way through a virtual call.
///
/// ```
/// # #[cfg(feature = "mock")]
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> anam::Result<()> {
/// # let mock = anam::mock::MockAnam::start().await;
/// # let anam = mock.client()?;
/// use futures_util::StreamExt;
///
/// let mut sessions = anam.sessions().list().per_page(50).into_stream();
/// while let Some(session) = sessions.next().await {
///     println!("{:?}", session?.id);
/// }
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "mock"))]
/// # fn main() {}
/// ```
pub struct Pages<'a, B: Paginated> {
    template: B,
    items: std::vec::IntoIter<B::Item>,
    cursor: Cursor<PageMark<B::Item>>,
    pending: Option<crate::request::ResponseFuture<'a, B::Output>>,
}

impl<'a, B> Stream for Pages<'a, B>
where
    B: Paginated + Unpin + 'a,
    B::Item: Unpin,
{
    type Item = Result<B::Item>;

    // The common case, an item of the current page, is small enough to inline into the
    // consumer's loop; fetching the next page is not.
    #[inline]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match this.items.next() {
            Some(item) => Poll::Ready(Some(Ok(item))),
            None => this.poll_pages(cx),
        }
    }
}

impl<'a, B> Pages<'a, B>
where
    B: Paginated + Unpin + 'a,
    B::Item: Unpin,
{
    /// Fetches pages until one has items (handing out its first), the list ends or a page
    /// fails.
    #[inline(never)]
    fn poll_pages(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<B::Item>>> {
        let this = self;
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.cursor.done {
                return Poll::Ready(None);
            }
            let pending = this.pending.get_or_insert_with(|| {
                let page = NonZeroU64::new(this.cursor.page).unwrap_or(NonZeroU64::MIN);
                crate::request::body(B::clone(&this.template).with_page(page))
            });
            let output = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(output) => output,
            };
            this.pending = None;
            let (items, meta) = match output {
                Ok(output) => B::into_items(output),
                Err(error) => {
                    this.cursor.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            let mark = PageMark::of(&items);
            match this.cursor.take(items.len(), mark, meta.as_ref()) {
                Ok(true) => this.items = items.into_iter(),
                Ok(false) => return Poll::Ready(None),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}

/// One item of a list as the server sent it: its JSON text, and its decode into the item type
/// (or where and why that failed). Yielded by `into_raw_stream()`.
#[derive(Debug)]
pub struct RawItem<T> {
    json: Bytes,
    page: u64,
    total: Option<u64>,
    decoded: std::result::Result<T, Box<DecodeError>>,
}

impl<T> RawItem<T> {
    /// The item's JSON text exactly as it stood in the page (a shared slice of the page's
    /// body: no copy).
    pub fn json(&self) -> &[u8] {
        &self.json
    }

    /// The page it came on.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// How many items the whole list holds, as its page's `meta.total` said (`None` when
    /// the page did not say).
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The item decoded into its type, or where (`data[3].name`) and why it did not.
    pub fn decoded(&self) -> std::result::Result<&T, &DecodeError> {
        self.decoded.as_ref().map_err(|e| &**e)
    }

    /// The JSON text and the decode result, by value.
    pub fn into_parts(self) -> (Bytes, std::result::Result<T, Box<DecodeError>>) {
        (self.json, self.decoded)
    }
}

/// A page split without decoding its items.
#[derive(serde::Deserialize)]
struct RawPage<'p> {
    #[serde(borrow)]
    data: Vec<&'p serde_json::value::RawValue>,
    #[serde(default)]
    meta: Option<Pagination>,
}

/// What identifies a raw page, to notice a repeat: its length and its first and last items'
/// text.
#[derive(PartialEq)]
struct RawMark {
    len: usize,
    first: Option<Bytes>,
    last: Option<Bytes>,
}

/// Every item of every page of a list as the server sent it ([`RawItem`]), walked by the
/// same rules as [`Pages`]; an error is its last item. Returned by `into_raw_stream()` on a
/// list builder.
///
/// ```
/// # #[cfg(feature = "mock")]
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> anam::Result<()> {
/// # let mock = anam::mock::MockAnam::start().await;
/// # let anam = mock.client()?;
/// use futures_util::TryStreamExt;
///
/// let mut personas = anam.personas().list().into_raw_stream();
/// while let Some(persona) = personas.try_next().await? {
///     println!("{}", String::from_utf8_lossy(persona.json()));
///     if let Err(e) = persona.decoded() {
///         eprintln!("off-spec at `{}`: {}", e.path, e.reason);
///     }
/// }
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "mock"))]
/// # fn main() {}
/// ```
pub struct RawPages<'a, T> {
    inner: Pin<Box<dyn Stream<Item = Result<RawItem<T>>> + Send + 'a>>,
}

impl<T> Stream for RawPages<'_, T> {
    type Item = Result<RawItem<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The stream behind `into_raw_stream()`.
pub(crate) fn raw_stream<'a, B>(builder: B) -> RawPages<'a, B::Item>
where
    B: Paginated + 'a,
    B::Item: DeserializeOwned + 'a,
{
    let (template, start) = template(builder);
    let cursor = Cursor::<RawMark>::new(B::ID, start);
    let pages =
        futures_util::stream::try_unfold((template, cursor), |(template, mut cursor)| async move {
            if cursor.done {
                return Ok::<_, Error>(None);
            }
            let page = cursor.page;
            let asked = template
                .clone()
                .with_page(NonZeroU64::new(page).unwrap_or(NonZeroU64::MIN));
            let response = crate::request::raw(asked).await?;
            let status = Some(response.status());
            let body = response.body_bytes();
            let split: RawPage<'_> = serde_json::from_slice(&body)
                .map_err(|error| Error::decode(B::ID, status, &body, &error))?;
            let texts: Vec<Bytes> = split
                .data
                .iter()
                .map(|item| body.slice_ref(item.get().as_bytes()))
                .collect();
            let total = split
                .meta
                .as_ref()
                .and_then(|meta| meta.total)
                .and_then(|total| u64::try_from(total).ok());
            let mark = RawMark {
                len: texts.len(),
                first: texts.first().cloned(),
                last: texts.last().cloned(),
            };
            let items: Vec<Result<RawItem<B::Item>>> =
                if cursor.take(texts.len(), mark, split.meta.as_ref())? {
                    texts
                        .into_iter()
                        .enumerate()
                        .map(|(index, json)| {
                            Ok(raw_item(B::ID, status, (page, total), index, json))
                        })
                        .collect()
                } else {
                    Vec::new()
                };
            Ok(Some((
                futures_util::stream::iter(items),
                (template, cursor),
            )))
        });
    RawPages {
        inner: pages.try_flatten().boxed(),
    }
}

/// Item `index` of page `page`, decoded; a failure's path starts at `data[index]`.
fn raw_item<T: DeserializeOwned>(
    operation: &'static str,
    status: Option<reqwest::StatusCode>,
    (page, total): (u64, Option<u64>),
    index: usize,
    json: Bytes,
) -> RawItem<T> {
    let decoded = serde_json::from_slice(&json).map_err(|error| {
        let mut decode = DecodeError::new(operation, status, &json, &error);
        decode.path = match decode.path.as_str() {
            "." => format!("data[{index}]"),
            path if path.starts_with('[') => format!("data[{index}]{path}"),
            path => format!("data[{index}].{path}"),
        };
        decode
    });
    RawItem {
        json,
        page,
        total,
        decoded,
    }
}

#[cfg(test)]
mod tests;
