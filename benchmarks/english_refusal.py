"""English questions of our own, on-topic and off-topic for the reports of ``corpus/``: which are answered
"not covered" (the English archive share below its threshold, search_api/search/strength.py).

    python benchmarks/english_refusal.py [INDEX_DIR]      (default: index corpus/ in a temp dir)

Not used to choose the threshold (benchmarks/calibrate_refusal.py does, on the dev questions): a wider
check of it, and of what the glosses' dictionaries count as spoken of.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eval.harness import index_or_corpus
from search_api.search.strength import COVERED_SHARE, archive_share

REPO = Path(__file__).resolve().parent.parent
ON_TOPIC = [
    "government information disclosure", "rule of law training for civil servants", "legal aid for migrant workers",
    "administrative law enforcement supervision", "publicity and education on the rule of law",
    "handling of administrative reconsideration cases", "administrative litigation and responding to lawsuits",
    "review of the legality of major decisions", "government legal counsel",
    "mediation of disputes by people's mediation committees", "public participation in major decisions",
    "expert consultation and risk assessment for major decisions", "streamlining administration and delegating powers",
    "optimizing the business environment", "supervision by the people's congress", "accountability for officials",
    "transparency of government affairs", "cleanup of normative documents", "training of law enforcement personnel",
    "constitution publicity day",
    # Asked as questions (session 16), some with irregular verbs and words for places.
    "how did each city handle administrative appearance in court", "what did the districts do to train officials in the law",
    "how many administrative reconsideration cases were received", "how were normative documents filed and reviewed",
    "what measures were taken to resolve disputes through mediation",
    "how many lawsuits did the government respond to and how many did it lose",
    "how did governments make their decision-making more scientific and democratic",
    "what was done to publicize the constitution", "how did each district supervise law enforcement",
    "which governments hired legal advisers", "how was the list of powers published",
    "what did the cities do to reform the business registration system",
    "how did the governments handle petitions from citizens",
    "what progress was made in building a government under the rule of law",
    "how were administrative penalties made transparent",
    "how did each jurisdiction handle administrative appearance in court",
    "which jurisdictions published their power lists", "administrative reconsideration cases by jurisdiction",
    "how many people's congress deputies' suggestions were handled", "how were unlawful administrative acts corrected",
]
OFF_TOPIC = [
    "stock exchange listings of local companies", "space station experiments", "carbon emission trading", "submarine",
    "aircraft carrier maintenance", "nuclear power plant safety", "deep sea fishing quotas",
    "COVID-19 vaccination campaign", "high-speed railway construction", "tourism revenue from ski resorts",
    "olympic medal winners", "cryptocurrency mining bans", "wine exports to france",
    "earthquake early warning satellites", "pet dog licensing",
    "how did each city promote football in schools", "what did the districts do about air pollution from factories",
    "how many hospital beds were added", "which cities hosted international film festivals",
    "how did the governments regulate ride-hailing apps", "what was done to protect endangered birds",
    "how much rice did farmers harvest", "which districts opened new airports",
    "what did the cities do about artificial intelligence research", "how were museums funded",
    "how did each city reduce traffic jams", "what was the unemployment rate in each city",
    "how did governments support startups with venture capital", "which cities banned plastic bags",
    "how were teachers' salaries raised",
]


def main(index_dir: Path | None) -> None:
    with index_or_corpus(index_dir, REPO / "corpus") as index:
        threshold = COVERED_SHARE["en"]
        for topic, questions in (("on", ON_TOPIC), ("off", OFF_TOPIC)):
            covered = 0
            for question in questions:
                share = archive_share(index, question)
                covered += share >= threshold
                print(f"{topic:3} {share:.3f} {'covered' if share >= threshold else 'refused'}  {question}")
            print(f"{topic}-topic: {covered} of {len(questions)} covered (threshold {threshold})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
