"""The telecom-opening news monitor: Scrapy project, archive, run health and the command line."""

__version__ = "0.1.0"
