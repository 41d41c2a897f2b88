"""summarizer"""
