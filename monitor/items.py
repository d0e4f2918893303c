"""The article item every spider yields: one per article page."""

import scrapy


class ArticleItem(scrapy.Item):
    url = scrapy.Field()  # the URL fetched (after redirects)
    canonical_url = scrapy.Field()  # the natural key in the store
    source = scrapy.Field()  # the spider name, e.g. "xinhua_en"
    outlet = scrapy.Field()  # the outlet's name, e.g. "Xinhua" (xinhua_en and xinhua_zh share it)
    title = scrapy.Field()
    published = scrapy.Field()  # an aware datetime (parsed once, by the parser), or None
    author = scrapy.Field()
    language = scrapy.Field()  # "en" or "zh"
    text = scrapy.Field()  # main text only, paragraphs separated by blank lines
    fetched_at = scrapy.Field()  # an aware datetime
    # Filled by the pipelines, not the spiders:
    facts = scrapy.Field()  # pipelines.extract.extract() output
