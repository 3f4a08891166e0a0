//! Streams over the `{data, meta}` list operations: every item, page after page.

use std::collections::VecDeque;
use std::num::NonZeroU64;
use std::pin::Pin;

use futures_util::Stream;

use crate::raw::builder;
use crate::request::{Operation, Request};
use crate::types::{self, Pagination};
use crate::{Error, Result};

/// A stream of items from a paginated list; errors end it.
pub type ItemStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T>> + Send + 'a>>;

/// A generated list operation taking `page`/`perPage` and answering `{data, meta}`.
pub trait Paginated: Operation + Clone {
    /// One element of `data`.
    type Item: Clone + PartialEq + Send;
    /// Asks for page `page` (1-based).
    fn with_page(self, page: NonZeroU64) -> Self;
    /// Asks for `size` items per page.
    fn with_page_size(self, size: NonZeroU64) -> Self;
    /// Splits a page into its items and its metadata.
    fn into_parts(page: Self::Output) -> (Vec<Self::Item>, Option<Pagination>);
}

macro_rules! paginated {
    ($($builder:ident => $page:ident of $item:ident),* $(,)?) => {$(
        impl<'a> Paginated for builder::$builder<'a> {
            type Item = types::$item;
            fn with_page(self, page: NonZeroU64) -> Self {
                self.page(page.get())
            }
            fn with_page_size(self, size: NonZeroU64) -> Self {
                self.per_page(size.get())
            }
            fn into_parts(page: types::$page) -> (Vec<types::$item>, Option<Pagination>) {
                (page.data, page.meta)
            }
        }
    )*};
}

paginated! {
    ListSessions => SessionPage of Session,
    ListPersonas => PersonaPage of PersonaSummary,
    ListAvatars => AvatarPage of Avatar,
    ListVoices => VoicePage of Voice,
    ListTools => ToolPage of Tool,
    ListLlms => LlmPage of Llm,
    ListShareLinks => ShareLinkPage of PersonaShareLink,
    ListMeetingInvites => MeetingInvitePage of MeetingInvite,
}

/// Where a stream is.
struct Cursor<B: Paginated> {
    template: Result<B>,
    page: u64,
    page_size: Option<NonZeroU64>,
    buffer: VecDeque<B::Item>,
    previous: Option<Vec<B::Item>>,
    done: bool,
}

impl<'a, B: Paginated + 'a> Request<'a, B> {
    /// Every item of every page, fetched lazily with the largest page size the API allows
    /// (the spec's `perPage` maximum). Follows `meta.next`; ends on an empty page, on the last
    /// page, or if the server sends the same page twice; an error is yielded once and ends it.
    pub fn into_stream(self) -> ItemStream<'a, B::Item> {
        let size = crate::spec::operation(B::ID)
            .and_then(|op| op.max_page_size)
            .and_then(NonZeroU64::new);
        self.into_stream_inner(size)
    }

    /// Like [`into_stream`](Self::into_stream), with `size` items per page.
    pub fn into_stream_with_page_size(self, size: NonZeroU64) -> ItemStream<'a, B::Item> {
        self.into_stream_inner(Some(size))
    }

    fn into_stream_inner(self, page_size: Option<NonZeroU64>) -> ItemStream<'a, B::Item> {
        let cursor = Cursor {
            template: self.into_builder(),
            page: 1,
            page_size,
            buffer: VecDeque::new(),
            previous: None,
            done: false,
        };
        Box::pin(futures_util::stream::unfold(cursor, next_item))
    }
}

async fn next_item<B: Paginated>(mut cursor: Cursor<B>) -> Option<(Result<B::Item>, Cursor<B>)> {
    loop {
        if let Some(item) = cursor.buffer.pop_front() {
            return Some((Ok(item), cursor));
        }
        if cursor.done {
            return None;
        }
        let template = match &cursor.template {
            Ok(template) => template.clone(),
            Err(error) => {
                cursor.done = true;
                let error = Error::InvalidInput(error.to_string());
                return Some((Err(error), cursor));
            }
        };
        let page = NonZeroU64::new(cursor.page).unwrap_or(NonZeroU64::MIN);
        let mut builder = template.with_page(page);
        if let Some(size) = cursor.page_size {
            builder = builder.with_page_size(size);
        }
        let (items, meta) = match Request::<'_, B>::new(builder).send().await {
            Ok(output) => B::into_parts(output),
            Err(error) => {
                cursor.done = true;
                return Some((Err(error), cursor));
            }
        };
        if items.is_empty() {
            return None;
        }
        if cursor.previous.as_ref() == Some(&items) {
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
        cursor.previous = Some(items.clone());
        cursor.buffer.extend(items);
    }
}
