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

use std::num::NonZeroU64;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;

use crate::Result;
use crate::request::Operation;
use crate::types::Pagination;

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

/// Every item of every page of `builder`'s list: follows `meta.next`, at the page size set on
/// the builder or else the spec's `perPage` maximum; ends after the last page, on an empty
/// page, or if the server sends the same page twice; an error is yielded once and ends it.
pub(crate) fn stream<'a, B>(builder: B) -> Pages<'a, B>
where
    B: Paginated + Unpin + 'a,
    B::Item: Unpin,
{
    let max = crate::spec::operation(B::ID)
        .and_then(|op| op.max_page_size)
        .and_then(NonZeroU64::new);
    let template = match max {
        Some(size) if !builder.has_page_size() => builder.with_page_size(size),
        _ => builder,
    };
    Pages {
        template,
        page: 1,
        items: Vec::new().into_iter(),
        previous: None,
        pending: None,
        done: false,
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
    page: u64,
    items: std::vec::IntoIter<B::Item>,
    previous: Option<PageMark<B::Item>>,
    pending: Option<crate::request::ResponseFuture<'a, B::Output>>,
    done: bool,
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
            if this.done {
                return Poll::Ready(None);
            }
            let pending = this.pending.get_or_insert_with(|| {
                let page = NonZeroU64::new(this.page).unwrap_or(NonZeroU64::MIN);
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
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            if items.is_empty() {
                this.done = true;
                return Poll::Ready(None);
            }
            let mark = PageMark::of(&items);
            if this.previous.as_ref() == Some(&mark) {
                tracing::warn!(
                    operation = B::ID,
                    page = this.page,
                    "the server repeated a page; stopping"
                );
                this.done = true;
                return Poll::Ready(None);
            }
            match meta
                .and_then(|m| m.next)
                .and_then(|n| u64::try_from(n).ok())
            {
                Some(next) if next > this.page => this.page = next,
                _ => this.done = true,
            }
            this.previous = Some(mark);
            this.items = items.into_iter();
        }
    }
}
