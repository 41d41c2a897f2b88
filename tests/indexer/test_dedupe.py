import dataclasses

from support import SEED_SOURCES

from indexer.dedupe import dedupe_reports
from indexer.records import RemovedLine


def test_distinct_reports_are_all_kept(seed_reports):
    reports = seed_reports
    assert [r.source for r in dedupe_reports(reports)] == [r.source for r in reports]


def test_a_copy_with_other_chrome_is_listed_on_the_cleaner_canonical_report(seed_reports):
    original = seed_reports[0]
    # Same body with a few lines of another site's chrome and an edit, as on a second portal.
    noisy_clean = dataclasses.replace(
        original.clean,
        text="另一门户网站\n" + original.text.replace("。", "。 ", 3),
        removed=(RemovedLine(0, 5, "首页 新闻", "menu"), RemovedLine(6, 9, "打印", "page tool")),
    )
    copy = dataclasses.replace(original, source="mirror/000.txt", doc_id="mirror", clean=noisy_clean)
    reports = dedupe_reports([copy, *seed_reports])
    assert len(reports) == len(SEED_SOURCES)
    [canonical] = [r for r in reports if r.also_published_at]
    assert canonical.source == original.source
    assert canonical.also_published_at == ("mirror/000.txt",)
