//! Help that tells the truth: required body flags marked, value names that mean something,
//! global options grouped apart, an example in every resource's help, and the retry budget.

use std::collections::BTreeSet;

use crate::cli::anam;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_generated_command_has_meaningful_value_names_and_marks_required_body_flags() {
    let mut resources = BTreeSet::new();
    for op in anam::spec::OPERATIONS {
        for method in op.facade_methods {
            let resource = method.sub_client.replace('_', "-");
            let verb = method.method.replace('_', "-");
            let help = anam(&[&resource, &verb, "--help"], None).await;
            assert_eq!(help.code, 0, "{resource} {verb}: {}", help.stderr);
            assert!(
                !help.stdout.contains("<body.") && !help.stdout.contains("<body_"),
                "{resource} {verb}: {}",
                help.stdout
            );
            // Global options are listed apart from the command's own.
            assert!(help.stdout.contains("Global options:"), "{}", help.stdout);
            resources.insert(resource);
        }
    }
    let invite = anam(&["meetings", "create-invite", "--help"], None).await;
    assert!(
        invite
            .stdout
            .contains("URLs without a scheme are normalized to `https://`. [required, unless --body-file has it]"),
        "{}",
        invite.stdout
    );
    let missing = anam(&["meetings", "create-invite"], None).await;
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("--meeting-url"),
        "{}",
        missing.stderr
    );
    let avatar = anam(&["personas", "create", "--help"], None).await;
    assert!(
        avatar.stdout.contains("--avatar-model <AVATAR_MODEL>"),
        "{}",
        avatar.stdout
    );
    for resource in resources {
        let help = anam(&[&resource, "--help"], None).await;
        assert!(
            help.stdout
                .contains(&format!("Examples:\n  anam {resource} ")),
            "{resource}: {}",
            help.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeout_help_tells_the_retry_budget() {
    let help = anam(&["--help"], None).await;
    assert!(
        help.stdout.contains("within 30 s of the first")
            && !help.stdout.contains("3 attempts in all"),
        "{}",
        help.stdout
    );
}
