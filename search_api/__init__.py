"""search_api"""
