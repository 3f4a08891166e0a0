use super::*;

fn meta(
    next: Option<i64>,
    current: Option<i64>,
    last: Option<i64>,
    total: Option<i64>,
) -> Pagination {
    Pagination {
        next,
        current_page: current,
        last_page: last,
        total,
        ..Pagination::default()
    }
}

#[test]
fn the_next_page_comes_from_next_else_last_page_else_total() {
    let mut cursor = Cursor::<u32>::new("op", 1);
    assert!(
        cursor
            .take(2, 1, Some(&meta(Some(5), None, None, None)))
            .unwrap()
    );
    assert_eq!(cursor.page, 5);
    let mut cursor = Cursor::<u32>::new("op", 1);
    assert!(
        cursor
            .take(100, 1, Some(&meta(None, Some(1), Some(3), None)))
            .unwrap()
    );
    assert_eq!((cursor.page, cursor.done), (2, false));
    assert!(
        cursor
            .take(100, 2, Some(&meta(None, Some(2), Some(3), None)))
            .unwrap()
    );
    assert!(
        cursor
            .take(50, 3, Some(&meta(None, Some(3), Some(3), None)))
            .unwrap()
    );
    assert!(cursor.done, "the last page ends it");
    let mut cursor = Cursor::<u32>::new("op", 1);
    assert!(
        cursor
            .take(100, 1, Some(&meta(None, None, None, Some(150))))
            .unwrap()
    );
    assert_eq!((cursor.page, cursor.done), (2, false));
    assert!(
        cursor
            .take(50, 2, Some(&meta(None, None, None, Some(150))))
            .unwrap()
    );
    assert!(cursor.done, "the total reached ends it");
}

#[test]
fn an_early_end_is_an_error_and_a_plain_end_is_not() {
    let mut cursor = Cursor::<u32>::new("op", 1);
    assert!(
        cursor
            .take(100, 1, Some(&meta(None, None, None, Some(250))))
            .unwrap()
    );
    let error = cursor.take(0, 0, None).unwrap_err();
    assert!(
        matches!(
            error,
            Error::IncompleteList {
                page: 2,
                items: 100,
                total: Some(250),
                ..
            }
        ),
        "{error:?}"
    );
    let mut cursor = Cursor::<u32>::new("op", 1);
    assert!(
        cursor
            .take(10, 1, Some(&meta(None, Some(1), Some(3), None)))
            .unwrap()
    );
    assert!(
        cursor
            .take(10, 1, Some(&meta(None, Some(1), Some(3), None)))
            .is_err(),
        "a repeat"
    );
    // An empty list, with or without its one empty page counted.
    for last in [None, Some(1), Some(0)] {
        let mut cursor = Cursor::<u32>::new("op", 1);
        assert!(
            !cursor
                .take(0, 0, Some(&meta(None, Some(1), last, Some(0))))
                .unwrap()
        );
        let mut cursor = Cursor::<u32>::new("op", 1);
        assert!(
            !cursor
                .take(0, 0, Some(&meta(None, Some(1), last, None)))
                .unwrap()
        );
    }
    // A repeat without any promise ends the list, as it always did.
    let mut cursor = Cursor::<u32>::new("op", 1);
    assert!(
        cursor
            .take(1, 7, Some(&meta(Some(2), None, None, None)))
            .unwrap()
    );
    assert!(
        !cursor
            .take(1, 7, Some(&meta(Some(3), None, None, None)))
            .unwrap()
    );
}

#[test]
fn a_walk_from_a_later_page_counts_the_pages_it_skipped() {
    let mut cursor = Cursor::<u32>::new("op", 3);
    let page = meta(None, Some(3), None, Some(250));
    let page = Pagination {
        per_page: Some(100),
        ..page
    };
    assert!(cursor.take(50, 1, Some(&page)).unwrap());
    assert_eq!(cursor.seen, 250);
    assert!(cursor.done);
}
