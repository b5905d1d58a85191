#!/usr/bin/env python3
"""Drives a real headless Chromium through a published segel portal.

    scripts/portal-browser-check.py BASE_URL TOKEN NAME SIGNED_PDF UNKNOWN_PDF [SCREENSHOT_DIR]
                                    [--several PAGE SIGNED_PDF COUNT]

BASE_URL serves the site (e.g. http://127.0.0.1:8000/) and answers a missing
path with 404.html, as static hosts do. Opens the token page and checks its
status banner; types its lookup code in lower case with spaces into the home
page's box and opens <base>/v/<code>, types the bare token and opens the flat
<base>/v/<token>/ (all four must reach the token page, v/<f>/<token>/); opens
an unknown token (the NOT VERIFIED verdict); then uses the upload page with the signed PDF
(must be found, with a link to its page), with the same PDF plus one trailing
newline (found, with a note that the white-space is not signed) and plus a
trailing "X" (INVALID: bytes appended), and with an unknown PDF (must be
"not issued by this authority"). With --several, a document that COUNT
approvers signed in order: its page (PAGE, relative to BASE_URL) and the
upload check must both list COUNT signers. Prints one JSON object; exits 0 only if every
check passed. PortalTests runs it; it needs chromium, chromedriver and selenium
(scripts/setup --test installs them).
"""
import json
import os
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def browser(scratch):
    """Headless Chromium whose temporary files (profile, singleton socket) all
    go under `scratch`, which the caller deletes after `quit()`: Chromium
    leaves its singleton folder in $TMPDIR otherwise."""
    options = webdriver.ChromeOptions()
    options.add_argument("--user-data-dir=" + os.path.join(scratch, "profile"))
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver")
    if not driver_path:
        raise SystemExit("chromedriver is not installed")
    environment = dict(os.environ, TMPDIR=scratch)
    return webdriver.Chrome(service=Service(executable_path=driver_path, env=environment), options=options)


def main():
    arguments = sys.argv[1:]
    several = None
    if "--several" in arguments:
        at = arguments.index("--several")
        several = (arguments[at + 1], arguments[at + 2], int(arguments[at + 3]))
        del arguments[at:at + 4]
    base, token, name, signed_pdf, unknown_pdf = arguments[0:5]
    shots = arguments[5] if len(arguments) > 5 else None
    if not base.endswith("/"):
        base += "/"
    result = {"checks": [], "ok": True}

    def check(label, condition, detail=""):
        result["checks"].append({"check": label, "ok": bool(condition), "detail": detail})
        if not condition:
            result["ok"] = False

    # A document signed now sits under v/<its token's first character, lower-cased>/.
    page = "v/" + token[:1].lower() + "/" + token + "/"
    browser_files = tempfile.mkdtemp(prefix="segel-chromium-")
    try:
        driver = browser(browser_files)
    except BaseException:
        shutil.rmtree(browser_files, ignore_errors=True)
        raise
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(base + page)
        label = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".status .status__label"))).text
        check("token page shows the status", "SAH" in label or "VALID" in label, label)
        title = driver.find_element(By.CSS_SELECTOR, "h1.doc-title").text
        check("token page shows the document name", title == name, title)
        if shots:
            driver.save_screenshot(os.path.join(shots, "token.png"))

        # Both languages: the token page's language link leads to the same
        # document in the other language, and back.
        switch = driver.find_element(By.CSS_SELECTOR, "[data-lang-switch]")
        other_lang = switch.get_attribute("hreflang")
        switch.click()
        wait.until(ec.url_contains("/" + other_lang + "/" + page))
        html_lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        same_title = driver.find_element(By.CSS_SELECTOR, "h1.doc-title").text == name
        check("the language link leads to the other language's page of the same document",
              html_lang == other_lang and same_title, "%s lang=%s" % (driver.current_url, html_lang))
        driver.find_element(By.CSS_SELECTOR, "[data-lang-switch]").click()
        wait.until(ec.url_to_be(base + page))
        check("and its language link leads back", driver.current_url == base + page, driver.current_url)
        driver.get(base + page)
        wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "code.lookup-code")))

        # The lookup code printed on the stamp, typed as a person would: lower
        # case, spaces instead of dashes. The home page's box finds the page,
        # and so does the address <base>/v/<code> (through 404.html).
        code = driver.find_element(By.CSS_SELECTOR, "code.lookup-code").text
        typed = code.lower().replace("-", " ")
        driver.get(base)
        box = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-token-form] input")))
        box.send_keys(typed)
        box.submit()
        wait.until(ec.url_contains("/" + page))
        check("the lookup code typed in lower case with spaces opens the page",
              driver.current_url == base + page, driver.current_url)
        driver.get(base + "v/" + code.lower() + "/")
        wait.until(ec.url_contains("/" + page))
        check("<base>/v/<code> opens the page", driver.current_url == base + page, driver.current_url)
        driver.get(base + other_lang + "/v/" + code.lower() + "/")
        wait.until(ec.url_contains("/" + other_lang + "/" + page))
        check("<base>/<lang>/v/<code> opens the page in that language",
              driver.current_url == base + other_lang + "/" + page, driver.current_url)

        # The bare token typed into the box, and the flat address <base>/v/<token>/
        # typed by hand (through 404.html), both reach the page.
        driver.get(base)
        box = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-token-form] input")))
        box.send_keys(token)
        box.submit()
        wait.until(ec.url_contains("/" + page))
        check("the token typed into the box opens its page", driver.current_url == base + page, driver.current_url)
        driver.get(base + "v/" + token + "/")
        wait.until(ec.url_contains("/" + page))
        check("<base>/v/<token>/ leads to the page", driver.current_url == base + page, driver.current_url)

        # An unknown token: the host's 404 is the portal's NOT VERIFIED verdict, with the box.
        driver.get(base + "v/AAAAAAAAAAAAAAAAAAAAAAAA/")
        verdict = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, '[data-status="not-verified"]')))
        has_box = len(driver.find_elements(By.CSS_SELECTOR, "[data-token-form] input")) == 1
        check("an unknown token shows the NOT VERIFIED verdict with the lookup box",
              ("TIDAK TERVERIFIKASI" in verdict.text or "NOT VERIFIED" in verdict.text) and has_box, verdict.text)
        if shots:
            driver.save_screenshot(os.path.join(shots, "not-found.png"))

        driver.get(base + "verify/")
        upload = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload]")))
        field = upload.find_element(By.CSS_SELECTOR, "input[data-upload-input]")
        field.send_keys(os.path.abspath(signed_pdf))
        match = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload-result] .upload__match")))
        output = driver.find_element(By.CSS_SELECTOR, "[data-upload-result]")
        check("signed PDF is found", match.is_displayed(), output.text)
        shown = output.find_element(By.CSS_SELECTOR, '[data-slot="name"]').text
        check("found entry names the document", shown == name, shown)
        banner = output.find_element(By.CSS_SELECTOR, "[data-status]").get_attribute("data-status")
        check("found entry is valid", banner == "valid", banner)
        signed_at = output.find_element(By.CSS_SELECTOR, '[data-slot="signed-at"]').text
        check("the signing time is in the authority's zone, as on the pages", signed_at.endswith("WIB"), signed_at)
        log_row = output.find_element(By.CSS_SELECTOR, '[data-slot-row="log"]')
        log_index = output.find_element(By.CSS_SELECTOR, '[data-slot="log-index"]').text
        check("found entry shows its entry in the public issuance log",
              log_row.is_displayed() and log_index.isdigit(), log_row.text)
        link = output.find_element(By.CSS_SELECTOR, '[data-slot="link"]').get_attribute("href")
        check("found entry links to its page", link == base + page, link)
        if shots:
            driver.save_screenshot(os.path.join(shots, "upload-found.png"))

        # The trailing-bytes rule, the same as segel-verify's: white-space after
        # the last %%EOF is tolerated (and said to be unsigned); anything else is INVALID.
        scratch = tempfile.mkdtemp(prefix="segel-trailing-", dir=browser_files)
        with open(signed_pdf, "rb") as f:
            original = f.read()
        newline_pdf = os.path.join(scratch, "with-newline.pdf")
        appended_pdf = os.path.join(scratch, "with-x.pdf")
        with open(newline_pdf, "wb") as f:
            f.write(original + b"\n")
        with open(appended_pdf, "wb") as f:
            f.write(original + b"X")
        driver.get(base + "verify/")
        upload = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload]")))
        upload.find_element(By.CSS_SELECTOR, "input[data-upload-input]").send_keys(newline_pdf)
        note = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload-result] [data-trailing]")))
        banner = driver.find_element(By.CSS_SELECTOR, "[data-upload-result] [data-status]").get_attribute("data-status")
        check("a trailing newline is tolerated and said to be unsigned",
              banner == "valid" and note.get_attribute("data-trailing") == "1", "%s: %s" % (banner, note.text))
        driver.get(base + "verify/")
        upload = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload]")))
        upload.find_element(By.CSS_SELECTOR, "input[data-upload-input]").send_keys(appended_pdf)
        invalid = wait.until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, '[data-upload-result] [data-status="appended"]')))
        check("a trailing X is INVALID", "TIDAK SAH" in invalid.text or "INVALID" in invalid.text, invalid.text)
        if shots:
            driver.save_screenshot(os.path.join(shots, "upload-appended.png"))
        shutil.rmtree(scratch, ignore_errors=True)

        driver.get(base + "verify/")
        upload = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload]")))
        upload.find_element(By.CSS_SELECTOR, "input[data-upload-input]").send_keys(os.path.abspath(unknown_pdf))
        missing = wait.until(ec.visibility_of_element_located(
            (By.CSS_SELECTOR, '[data-upload-result] [data-status="not-found"]')))
        check("unknown PDF is not issued by this authority",
              "tidak diterbitkan oleh otoritas ini" in missing.text or "not issued by this authority" in missing.text,
              missing.text)
        if shots:
            driver.save_screenshot(os.path.join(shots, "upload-unknown.png"))

        if several:
            several_page, several_pdf, count = several
            driver.get(base + several_page)
            listed = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "ol.signers")))
            items = listed.find_elements(By.CSS_SELECTOR, "li")
            check("the page of a document signed by several lists every signer in order",
                  len(items) == count, listed.text)
            driver.get(base + "verify/")
            upload = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "[data-upload]")))
            upload.find_element(By.CSS_SELECTOR, "input[data-upload-input]").send_keys(os.path.abspath(several_pdf))
            row = wait.until(ec.visibility_of_element_located(
                (By.CSS_SELECTOR, '[data-upload-result] [data-slot-row="signers"]')))
            found = row.find_elements(By.CSS_SELECTOR, "li")
            check("the upload check lists every signer of a document signed by several",
                  len(found) == count and all(item.text.strip() for item in found), row.text)
            if shots:
                driver.save_screenshot(os.path.join(shots, "upload-several.png"))

    except Exception as error:  # a timeout or a missing element is a failed check, with what was seen
        check("browser session", False, "%s: %s" % (type(error).__name__, error))
    finally:
        try:
            driver.quit()
        finally:
            shutil.rmtree(browser_files, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
