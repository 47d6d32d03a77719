"""Take screenshots of lab pages in headless Chromium: python tools/screenshot.py URL OUT.png [...]"""

import sys

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main(args: list[str]) -> None:
    pairs = list(zip(args[::2], args[1::2]))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for url, out in pairs:
            page.goto(url)
            page.wait_for_selector("[data-testid='stApp']")
            page.wait_for_timeout(int(float(__import__("os").environ.get("WAIT", "4")) * 1000))
            page.screenshot(path=out, full_page=True)
            print(out, page.url)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
