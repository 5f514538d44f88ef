#!/usr/bin/env python3
"""The pages of a PDF as print.js checks them, read by PyMuPDF: per page its size (pt),
its text, and every line that reads as a page number “— n —” with its box (pt, origin
top left) and font size. Usage: python3 pdf_pages.py FILE.pdf  (JSON on stdout)"""
import json
import re
import sys

import pymupdf

NUMBER = re.compile(r"^\u2014 \d+ \u2014$")

pages = []
for page in pymupdf.open(sys.argv[1]):
    numbers = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if NUMBER.match(text):
                x0, y0, x1, y1 = line["bbox"]
                numbers.append({"text": text, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
                                "size": line["spans"][0]["size"]})
    pages.append({"width": page.rect.width, "height": page.rect.height,
                  "text": page.get_text(), "numbers": numbers})
json.dump(pages, sys.stdout, ensure_ascii=False)
