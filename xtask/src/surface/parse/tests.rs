use super::*;
use crate::surface::render::{mock_trait_line, render};
use crate::surface::{MockTrait, Requirement};

#[test]
fn parsing_the_rendered_vendored_surface_gives_back_the_extracted_one() {
    let extracted = &crate::pipeline::vendored().1.surface;
    let text = render(extracted);
    let parsed = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&parsed, extracted);
    // What makes it lossless: the commands' arguments come from their usage lines.
    let with_arguments = parsed
        .operations
        .values()
        .flat_map(|operation| &operation.commands)
        .filter(|command| !command.arguments.is_empty())
        .count();
    assert!(with_arguments > 40, "{with_arguments}");
}

#[test]
fn an_older_surface_file_parses() {
    // openapi/surface.txt as of da46caf, before union variants got names.
    let text = include_str!("../../../tests/fixtures/surface-da46caf.txt");
    let surface = parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(surface.operations.len(), 57);
    assert_eq!(surface.types.len(), 160);
    assert_eq!(render(&surface).lines().last(), text.lines().last());
    let Some(Shape::Enum { variants, .. }) = surface
        .types
        .get("CreateToolBodyConfig")
        .map(|def| &def.shape)
    else {
        panic!("CreateToolBodyConfig is an enum");
    };
    assert!(matches!(
        variants.get("Variant2").map(|v| &v.data),
        Some(VariantData::Struct(fields)) if !fields.is_empty()
    ));
}

/// A small file with every kind of line, as `render` writes it (header comment left short).
fn sample() -> String {
    let sealed = mock_trait_line(&MockTrait {
        name: "MockServerExt".into(),
        sealed: true,
    });
    format!(
        "# a comment the parser skips\n\
         # spec sha256: {sha}\n\
         # 2 operations (1 generated, 1 sub-client methods, 1 mock helpers), 6 types\n\
         \n\
         operation deleteVoice\n  \
         route: DELETE /v1/voices/{{id}}\n  \
         method: Client::delete_voice() -> builder::DeleteVoice\n  \
         doc: \"delete \\\"voice\\\"\\u{{7f}} é\" #0123abcd\n  \
         param hard: bool optional\n  \
         param id: uuid::Uuid required\n  \
         body: DeleteBody defaulted\n  \
         success: ()\n  \
         error: Error<()>\n  \
         facade: Voices::delete(id: impl TryInto<uuid::Uuid>, map: HashMap<String, Value>) -> \
         builder::DeleteVoice\n    \
         doc: \"`DELETE /v1/voices/{{id}}`\" #11112222\n  \
         mock: MockServerExt::delete_voice(operations::DeleteVoiceWhen, \
         operations::DeleteVoiceThen)\n  \
         cli: anam voices delete <id> --force <bool> [--hard <bool>] [--body-file <DeleteBody \
         JSON>] [--name] [--tags <String>…] [--all] [--limit <N>] [--yes]\n  \
         cli: anam voices upload (multipart/form-data upload, hand-written)\n\
         \n\
         operation uploadVoice\n  \
         route: POST /v1/voices/upload\n  \
         not generated: left to the hand-written facade\n\
         \n\
         {sealed}\n\
         \n\
         type Alias: alias = Vec<String>\n\
         \n\
         type Closed: enum\n  \
         variant A\n    \
         doc: \"the a\" #aaaaaaaa\n  \
         variant B(String, HashMap<String, i64>)\n  \
         variant C {{..}}\n    \
         field r#type: Option<String> optional\n      \
         doc: \"its type\" #cccccccc\n\
         \n\
         type Newtype: tuple struct (String, private)\n\
         \n\
         type Open: open enum (#[non_exhaustive], Unknown(String))\n  \
         variant Known\n\
         \n\
         type Thing: struct (no struct literal)\n  \
         doc: \"a thing\" #dddddddd\n  \
         field map: HashMap<String, Value> required\n    \
         doc: \"a map\" #eeeeeeee\n\
         \n\
         type Unit: unit struct\n",
        sha = "ab".repeat(32)
    )
}

#[test]
fn every_kind_of_line_is_read() {
    let text = sample();
    let surface = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(surface.spec_sha256, "ab".repeat(32));
    let delete = &surface.operations["deleteVoice"];
    assert_eq!(delete.route(), "DELETE /v1/voices/{id}");
    let rust = delete.rust.as_ref().expect("generated");
    assert_eq!(
        (rust.method.as_str(), rust.builder.as_str()),
        ("delete_voice", "DeleteVoice")
    );
    assert_eq!(
        rust.doc,
        Some(Doc {
            summary: "delete \"voice\"\u{7f} é".into(),
            hash: "0123abcd".into()
        })
    );
    assert_eq!(rust.params["id"].ty, "uuid::Uuid");
    assert_eq!(rust.params["id"].requirement, Requirement::Required);
    assert_eq!(rust.params["hard"].requirement, Requirement::Optional);
    let body = rust.body.as_ref().expect("a body");
    assert_eq!(
        (body.ty.as_str(), body.requirement),
        ("DeleteBody", Requirement::Defaulted)
    );
    assert_eq!(
        (rust.success.as_str(), rust.error.as_str()),
        ("()", "Error<()>")
    );
    let facade = delete.facade.as_ref().expect("a facade method");
    assert_eq!(facade.path(), "Voices::delete");
    assert_eq!(
        facade.args,
        [
            ("id".to_string(), "impl TryInto<uuid::Uuid>".to_string()),
            ("map".to_string(), "HashMap<String, Value>".to_string())
        ]
    );
    assert_eq!(
        facade.doc.as_ref().map(|d| d.hash.as_str()),
        Some("11112222")
    );
    let mock = delete.mock.as_ref().expect("a mock helper");
    assert_eq!(mock.method, "delete_voice");
    assert_eq!(mock.then, "operations::DeleteVoiceThen");
    let [generated, upload] = &delete.commands[..] else {
        panic!("two commands");
    };
    assert_eq!(generated.name, "voices delete");
    let arguments: Vec<(&str, bool)> = generated
        .arguments
        .iter()
        .map(|(name, required)| (name.as_str(), *required))
        .collect();
    assert_eq!(
        arguments,
        [
            ("--all", false),
            ("--body-file", false),
            ("--force", true),
            ("--hard", false),
            ("--limit", false),
            ("--name", false),
            ("--tags", false),
            ("--yes", false),
            ("<id>", true),
        ]
    );
    assert_eq!(upload.name, "voices upload");
    assert!(upload.arguments.is_empty());
    let upload_voice = &surface.operations["uploadVoice"];
    assert!(upload_voice.rust.is_none() && upload_voice.facade.is_none());
    assert_eq!(
        surface.mock_trait,
        Some(MockTrait {
            name: "MockServerExt".into(),
            sealed: true
        })
    );

    let shape = |name: &str| &surface.types[name].shape;
    assert_eq!(
        shape("Alias"),
        &Shape::Alias {
            target: "Vec<String>".into()
        }
    );
    assert_eq!(
        shape("Newtype"),
        &Shape::Tuple {
            literal: false,
            fields: vec!["String".into()]
        }
    );
    assert_eq!(shape("Unit"), &Shape::Unit);
    let Shape::Enum {
        open: false,
        variants,
        ..
    } = shape("Closed")
    else {
        panic!("Closed is a closed enum");
    };
    assert_eq!(variants["A"].data, VariantData::Unit);
    assert_eq!(
        variants["A"].doc.as_ref().map(|d| d.summary.as_str()),
        Some("the a")
    );
    assert_eq!(
        variants["B"].data,
        VariantData::Tuple(vec!["String".into(), "HashMap<String, i64>".into()])
    );
    let VariantData::Struct(fields) = &variants["C"].data else {
        panic!("C is struct-like");
    };
    assert!(fields["r#type"].optional);
    assert_eq!(
        fields["r#type"].doc.as_ref().map(|d| d.hash.as_str()),
        Some("cccccccc")
    );
    assert!(
        matches!(shape("Open"), Shape::Enum { open: true, unknown: true, variants } if variants.len() == 1)
    );
    let Shape::Struct {
        literal: false,
        fields,
    } = shape("Thing")
    else {
        panic!("Thing is a struct without struct literal");
    };
    assert!(!fields["map"].optional);
    assert_eq!(fields["map"].ty, "HashMap<String, Value>");
    assert_eq!(
        surface.types["Thing"].doc.as_ref().map(|d| d.hash.as_str()),
        Some("dddddddd")
    );

    // And it renders back to the same blocks.
    let blocks = |text: &str| text.split_once("types\n").map(|(_, b)| b.to_string());
    assert_eq!(blocks(&render(&surface)), blocks(&text));
}

/// The error parsing `text` gives.
fn error_of(text: &str) -> ParseError {
    match parse(text) {
        Ok(_) => panic!("parsed:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn malformed_files_are_refused_with_the_line_and_what_was_expected() {
    let sample = sample();
    let line_of = |text: &str, line: &str| {
        text.lines()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("no line `{line}`"))
            + 1
    };
    let cases: Vec<(String, &str, &str)> = vec![
        (
            sample.replace("  route: DELETE", "  rout: DELETE"),
            "  rout: DELETE /v1/voices/{id}",
            "expected `  route: <METHOD> <path>`, found `  rout: DELETE /v1/voices/{id}`",
        ),
        (
            sample.replace("hard: bool optional", "hard: bool maybe"),
            "  param hard: bool maybe",
            "expected `required`, `optional` or `defaulted`, found `maybe`",
        ),
        (
            sample.replace("type Unit: unit struct", "widget Unit"),
            "widget Unit",
            "expected a block starting `operation `, `trait ` or `type `, found `widget Unit`",
        ),
        (
            sample.replace("type Unit: unit struct", "type Unit: union"),
            "type Unit: union",
            "expected a kind of type (`struct`,",
        ),
        (
            sample.replace(
                "alias = Vec<String>",
                "alias = Vec<String>\n  field x: u8 required",
            ),
            "  field x: u8 required",
            "expected a blank line (this kind of type has no members), found `  field x: u8",
        ),
        (
            sample.replace("#0123abcd", "0123abcd"),
            "  doc: \"delete \\\"voice\\\"\\u{7f} é\" 0123abcd",
            "expected `\"<first line>\" #<hash>`",
        ),
        (
            sample.replace(
                "variant B(String, HashMap<String, i64>)",
                "variant B[String]",
            ),
            "  variant B[String]",
            "expected `variant <Name>`, `variant <Name>(<type>, …)` or `variant <Name> {..}`",
        ),
        (
            sample.replace(
                "(operations::DeleteVoiceWhen, ",
                "(operations::DeleteVoiceWhen ",
            ),
            "  mock: MockServerExt::delete_voice(operations::DeleteVoiceWhen \
             operations::DeleteVoiceThen)",
            "expected `MockServerExt::<method>(<When>, <Then>)`",
        ),
        (
            sample.replace("cli: anam voices delete <id>", "cli: anam voices delete id"),
            "  cli: anam voices delete id --force <bool> [--hard <bool>] [--body-file \
             <DeleteBody JSON>] [--name] [--tags <String>…] [--all] [--limit <N>] [--yes]",
            "expected a positional `<name>` or a flag `--name`/`[--name …]`, found `id`",
        ),
    ];
    for (text, line, message) in cases {
        let error = error_of(&text);
        assert_eq!(error.line, line_of(&text, line), "{error}");
        assert!(error.message.contains(message), "{error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("line {}: ", error.line))
        );
    }

    // What is missing at the end names the last line.
    let cut = sample
        .split_once("  success: ()")
        .map(|(before, _)| before.to_string())
        .expect("a success line");
    let error = error_of(&cut);
    assert_eq!(error.line, cut.lines().count(), "{error}");
    assert_eq!(
        error.message,
        "expected `  success: <type>`, found the end of the file"
    );

    // A truncated file: the header's counts no longer match.
    let truncated = sample.replace("\ntype Unit: unit struct\n", "");
    let error = error_of(&truncated);
    assert_eq!(error.line, 3, "{error}");
    assert!(
        error.message.contains("6 types` but the blocks make"),
        "{error}"
    );

    // No header: not a surface file.
    let error = error_of("<html>offline</html>\n");
    assert_eq!(error.line, 1, "{error}");
    assert!(error.message.contains("`# spec sha256: <hex>`"), "{error}");
    let error = error_of(&sample.replace(&"ab".repeat(32), "abc"));
    assert_eq!(error.line, 2, "{error}");
    assert_eq!(
        error.message,
        "expected a sha256 of 64 hex digits, found `abc`"
    );

    // Listed twice.
    let twice = sample.replace(
        "type Unit: unit struct\n",
        "type Unit: unit struct\n\ntype Unit: unit struct\n",
    );
    let error = error_of(&twice);
    assert_eq!(error.message, "type Unit listed twice");
    assert_eq!(error.line, twice.lines().count());
}
