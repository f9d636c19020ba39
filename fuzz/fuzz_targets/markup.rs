//! The prose view of any bytes read as HTML keeps their length, holds each
//! byte either as it was or as filler, and never lets a repair touch
//! markup: every edit of the view covers bytes the page has as they are.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use unspin_core::markup::prose_view;
use unspin_core::Repairer;

fn model() -> &'static Repairer {
    static MODEL: OnceLock<Repairer> = OnceLock::new();
    MODEL.get_or_init(Repairer::embedded)
}

fuzz_target!(|page: &[u8]| {
    let view = prose_view(page);
    assert_eq!(view.len(), page.len());
    for (shown, byte) in view.iter().zip(page) {
        assert!(shown == byte || b"|\n ".contains(shown), "{shown} for {byte}");
    }
    for edit in model().repair(&view) {
        assert_eq!(&view[edit.start..edit.end], &page[edit.start..edit.end]);
    }
});
