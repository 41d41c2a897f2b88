"""Questions of our own, English and Chinese, on-topic and off-topic for the reports of ``corpus/``: which
are answered "not covered" (the archive share below its language's threshold, search_api/search/strength.py).

    python benchmarks/own_refusal.py [INDEX_DIR]      (default: index corpus/ in a temp dir)

Not used to choose the threshold (benchmarks/calibrate_refusal.py does, on the dev questions): a wider
check of it, and of what the glosses' dictionaries count as spoken of.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eval.harness import index_or_corpus
from search_api.search.strength import COVERED_SHARE, archive_share, language_of

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

# Chinese questions asked as questions, with 如何/哪些 and words for places (session 16).
ON_TOPIC_ZH = [
    "各地如何推进行政机关负责人出庭应诉", "哪些城市开展了法治政府示范创建", "各区如何处理信访事项", "各市行政复议案件有多少件",
    "各地怎样开展普法宣传教育", "哪些区县建立了政府法律顾问制度", "各市如何落实重大行政决策程序", "各地是如何推进政务公开的",
    "各区县如何开展行政复议", "哪些辖区公布了权力清单", "各个地方如何推进信访工作法治化", "各市县区的规范性文件备案审查",
    "行政执法三项制度落实情况怎么样", "各地法治政府建设取得了哪些成效",
]
OFF_TOPIC_ZH = [
    "各地如何发展足球运动", "哪些城市举办了国际电影节", "各区如何治理交通拥堵", "各市失业率是多少", "哪些区县禁止使用塑料袋",
    "各地如何保护濒危鸟类", "各市如何扶持人工智能研究", "各地博物馆经费如何保障", "各地如何提高教师工资", "哪些城市新建了机场",
]


def main(index_dir: Path | None) -> None:
    with index_or_corpus(index_dir, REPO / "corpus") as index:
        for topic, questions in (("on", ON_TOPIC), ("off", OFF_TOPIC), ("on", ON_TOPIC_ZH), ("off", OFF_TOPIC_ZH)):
            threshold = COVERED_SHARE[language_of(questions[0])]
            covered = 0
            for question in questions:
                share = archive_share(index, question)
                covered += share >= threshold
                print(f"{topic:3} {share:.3f} {'covered' if share >= threshold else 'refused'}  {question}")
            print(f"{topic}-topic, {language_of(questions[0])}: {covered} of {len(questions)} covered (threshold {threshold})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
