"""One module per source: a spider class (discovery) and a pure `parse_article(html, url)` (reading)."""
