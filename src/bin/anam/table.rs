//! Tables for a person at a terminal, from the JSON the server sent: a list's items one a
//! row, one object as FIELD/VALUE rows. Columns are chosen from the items' own fields, the
//! same rule for every resource: `id`, then what names it (`name`, `displayName`, `title`,
//! …), the ids of what it belongs to (`personaId`, …), its state (`status`, `type`, …), and
//! when it was created; nested values are left to `--output json`. Times show in UTC, with
//! the zone; cells are cut (`…`) so a row fits the terminal's width.

use serde_json::{Map, Value};

/// Fields that name an item, in the order preferred.
const NAMES: [&str; 8] = [
    "name",
    "displayName",
    "title",
    "label",
    "filename",
    "fileName",
    "email",
    "slug",
];
/// Fields that give an item's state or kind.
const STATES: [&str; 6] = ["status", "state", "type", "kind", "role", "renderStyle"];
/// The most columns a list's table has.
const MOST: usize = 6;
/// No column is cut narrower than this.
const NARROWEST: usize = 8;

/// The width to fit: the terminal's, else `COLUMNS`, else 100.
pub fn width() -> usize {
    if let Some((_, columns)) = console::Term::stdout().size_checked()
        && columns > 0
    {
        return usize::from(columns);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c: &usize| c > 0)
        .unwrap_or(100)
}

/// A table of `items` (objects; anything else is one cell of a VALUE column).
pub fn items(items: &[Value], width: usize) -> String {
    let objects: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
    if objects.len() < items.len() {
        let rows = items.iter().map(|item| vec![cell(item)]).collect();
        return render(&["VALUE".to_string()], rows, width);
    }
    let columns = columns(&objects);
    let headers: Vec<String> = columns.iter().map(|c| header(c)).collect();
    let rows = objects
        .iter()
        .map(|object| {
            columns
                .iter()
                .map(|column| object.get(*column).map_or_else(|| "-".into(), cell))
                .collect()
        })
        .collect();
    render(&headers, rows, width)
}

/// One object as FIELD / VALUE rows, every field in the server's order.
pub fn record(object: &Map<String, Value>, width: usize) -> String {
    let rows = object
        .iter()
        .map(|(key, value)| vec![key.clone(), cell(value)])
        .collect();
    render(&["FIELD".into(), "VALUE".into()], rows, width)
}

/// The columns of a list: see the module's documentation. Only fields with a scalar value in
/// every item that has them are candidates.
fn columns<'a>(objects: &[&'a Map<String, Value>]) -> Vec<&'a str> {
    let mut fields: Vec<&'a str> = Vec::new();
    for object in objects {
        for (key, value) in object.iter() {
            let scalar = !(value.is_object() || value.is_array());
            if !fields.contains(&key.as_str()) && scalar {
                fields.push(key);
            }
        }
    }
    fields.retain(|field| {
        objects.iter().all(|object| {
            object
                .get(*field)
                .is_none_or(|v| !(v.is_object() || v.is_array()))
        })
    });
    let mut chosen: Vec<&'a str> = Vec::new();
    let take = |field: Option<&&'a str>, chosen: &mut Vec<&'a str>| {
        if let Some(field) = field
            && !chosen.contains(field)
            && chosen.len() < MOST
        {
            chosen.push(field);
        }
    };
    take(fields.iter().find(|f| **f == "id"), &mut chosen);
    take(
        NAMES.iter().find_map(|n| fields.iter().find(|f| *f == n)),
        &mut chosen,
    );
    for field in fields
        .iter()
        .filter(|f| f.len() > 2 && f.ends_with("Id"))
        .take(2)
    {
        take(Some(field), &mut chosen);
    }
    take(
        STATES.iter().find_map(|s| fields.iter().find(|f| *f == s)),
        &mut chosen,
    );
    let created = fields.iter().find(|f| **f == "createdAt").or_else(|| {
        fields
            .iter()
            .find(|f| f.ends_with("At") || f.ends_with("Time"))
    });
    // Fewer than four so far: the next fields in order, keeping a place for the time.
    let room = 4usize.saturating_sub(chosen.len() + usize::from(created.is_some()));
    for field in fields
        .iter()
        .filter(|f| !chosen.contains(f) && Some(*f) != created)
        .take(room)
        .collect::<Vec<_>>()
    {
        take(Some(field), &mut chosen);
    }
    take(created, &mut chosen);
    if chosen.is_empty() {
        chosen = fields.into_iter().take(MOST).collect();
    }
    chosen
}

/// `personaId` → `PERSONA ID`.
fn header(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 4);
    for (index, c) in field.chars().enumerate() {
        if c.is_uppercase() && index > 0 {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
    }
    out
}

/// A value as one line: text as it is (a time in UTC with its zone), `-` for null, nested
/// values as compact JSON.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => "-".to_string(),
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(time) => time
                .with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string(),
            Err(_) => text.clone(),
        },
        other => other.to_string(),
    };
    // One line per row: a line break or tab inside a value would break the table.
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `headers` and `rows`, columns two spaces apart, the widest cut first until a row fits
/// `width`.
fn render(headers: &[String], rows: Vec<Vec<String>>, width: usize) -> String {
    let count = headers.len();
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| console::measure_text_width(h))
        .collect();
    for row in &rows {
        for (index, text) in row.iter().enumerate().take(count) {
            widths[index] = widths[index].max(console::measure_text_width(text));
        }
    }
    let total = |widths: &[usize]| widths.iter().sum::<usize>() + 2 * count.saturating_sub(1);
    while total(&widths) > width {
        let Some((widest, &most)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
            break;
        };
        if most <= NARROWEST {
            break;
        }
        widths[widest] = (most - (total(&widths) - width)).max(NARROWEST);
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (index, cell) in cells.iter().enumerate().take(count) {
            let cut = console::truncate_str(cell, widths[index], "…");
            text.push_str(&cut);
            if index + 1 < count {
                let pad = widths[index] - console::measure_text_width(&cut) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(headers);
    for row in &rows {
        line(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_come_from_the_fields_and_cells_fit_the_width() {
        let items = [
            json!({"createdAt": "2026-04-20T09:00:00.000Z", "brain": {"x": 1}, "id": "p-1",
                   "name": "Cara the very long-named persona of the support team", "avatarId": "a-1",
                   "description": "d"}),
            json!({"id": "p-2", "name": "Ben", "avatarId": null, "createdAt": "2026-04-21T10:30:00+02:00"}),
        ];
        let table = items_table(&items, 60);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            ["ID", "NAME", "AVATAR", "ID", "CREATED", "AT"]
        );
        assert!(
            lines.iter().all(|l| console::measure_text_width(l) <= 60),
            "{table}"
        );
        assert!(lines[1].contains('…'), "{table}");
        assert!(lines[2].contains("2026-04-21 08:30:00 UTC"), "{table}");
        assert!(!table.contains("brain"));
    }

    fn items_table(items: &[Value], width: usize) -> String {
        super::items(items, width)
    }
}
