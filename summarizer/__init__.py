"""Answers per jurisdiction with cited extractive summaries, and summaries of whole reports."""

from summarizer.answer import AnswerSettings, answer
from summarizer.grouping import GROUP_BY
from summarizer.report_summary import summarize_report

__all__ = ["AnswerSettings", "GROUP_BY", "answer", "summarize_report"]
