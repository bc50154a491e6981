#!/usr/bin/env python3
"""End-to-end check of the Leopost web chat page in headless Chromium.

Usage: python3 chat_e2e.py --base-url http://127.0.0.1:PORT --token JWT --screenshot out.png [--timeout 60]

Opens BASE/#token=JWT (the page signs in from the fragment), starts a new
conversation, sends a message, waits for the assistant's answer to be
completed (data-state="completed"), prints it, saves a screenshot.
Exit 0 on success, 1 on failure or timeout (with the reason on stderr).
"""
import argparse
import os
import sys
import time

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach the network

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

import post_flow

PROMPT = "Draft a post about our spring sale"


def fail(msg, driver=None, screenshot=None):
    print(f"FAIL: {msg}", file=sys.stderr)
    if driver is not None:
        try:
            err = driver.execute_script(
                "const e = document.querySelector('#signin-error:not([hidden]), #composer-error:not([hidden]),"
                " .message .meta .error-text'); return e ? e.textContent : null;")
            if err:
                print(f"page shows: {err}", file=sys.stderr)
            for entry in driver.get_log("browser")[-10:]:
                print(f"browser console: {entry.get('level')} {entry.get('message')}", file=sys.stderr)
            if screenshot:
                driver.save_screenshot(screenshot)
                print(f"screenshot of the failure saved to {screenshot}", file=sys.stderr)
        except WebDriverException:
            pass
    sys.exit(1)


def wait_for(driver, deadline, what, predicate, interval=0.1):
    """Poll predicate(driver) until it returns a truthy value or the overall deadline passes."""
    while True:
        try:
            value = predicate(driver)
            if value:
                return value
        except WebDriverException:
            pass
        if time.monotonic() > deadline:
            raise TimeoutException(f"timed out waiting for {what}")
        time.sleep(interval)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--timeout", type=float, default=60, help="overall seconds (default 60)")
    ap.add_argument("--mastodon-url", help="a fake Mastodon the tenant's account points at: also run the posting loop")
    ap.add_argument("--post-screenshot", help="where the posting loop's screenshot goes")
    ap.add_argument("--zone", default="UTC", help="the browser's time zone (TZ), shown on the cards")
    args = ap.parse_args()
    deadline = time.monotonic() + args.timeout

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    except WebDriverException as e:
        fail(f"could not start Chromium/chromedriver: {e.msg}")
    driver.set_page_load_timeout(max(5, args.timeout))
    driver.set_script_timeout(10)
    try:
        driver.get(args.base_url.rstrip("/") + "/#token=" + args.token)

        # Signed in: either the app is ready, or the sign-in screen shows a reason.
        def signed_in(d):
            if d.execute_script("return document.body.dataset.ready === '1'"):
                return "ok"
            err = d.find_elements(By.CSS_SELECTOR, "#signin-error:not([hidden])")
            if err and err[0].text.strip():
                return "error: " + err[0].text.strip()
            return None
        result = wait_for(driver, deadline, "sign-in", signed_in)
        if result != "ok":
            fail(f"sign-in failed ({result})", driver, args.screenshot)
        if "#token=" in driver.current_url:
            fail("the token fragment was not removed from the address bar", driver, args.screenshot)

        before = driver.execute_script("return document.body.dataset.conversationId || ''")
        driver.find_element(By.ID, "new-conversation").click()
        wait_for(driver, deadline, "the new conversation to open",
                 lambda d: d.execute_script("return document.body.dataset.conversationId || ''") not in ("", before))
        # the new conversation is loaded once its history rendered (the empty state or messages)
        wait_for(driver, deadline, "the new conversation's history",
                 lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .empty, #messages .message"))

        box = driver.find_element(By.ID, "message-input")
        box.send_keys(PROMPT)
        send = driver.find_element(By.ID, "send")
        wait_for(driver, deadline, "the Send button to enable", lambda d: send.is_enabled())
        send.click()

        def answered(d):
            done = d.find_elements(By.CSS_SELECTOR, '.message.assistant[data-message-id][data-state="completed"]')
            if done:
                return ("completed", done[-1])
            bad = d.find_elements(By.CSS_SELECTOR, '.message.assistant[data-message-id][data-state="failed"]')
            if bad:
                return ("failed", bad[-1])
            unsent = d.find_elements(By.CSS_SELECTOR, '.message.user[data-state="unsent"]')
            if unsent:
                return ("unsent", unsent[-1])
            return None
        kind, elem = wait_for(driver, deadline, "a completed assistant answer", answered)
        if kind != "completed":
            fail(f"the message was {kind}: {elem.text.strip()}", driver, args.screenshot)

        text = elem.find_element(By.CSS_SELECTOR, ".text").text
        time.sleep(0.5)  # let any trailing events (duplicate completed, post preview) settle
        n = len(driver.find_elements(By.CSS_SELECTOR, ".message.assistant[data-message-id]"))
        if n != 1:
            fail(f"expected one assistant answer, found {n}", driver, args.screenshot)
        # The page runs under a Content-Security-Policy without 'unsafe-inline': nothing may have been refused.
        refused = [e.get("message", "") for e in driver.get_log("browser") if "Content Security Policy" in e.get("message", "")]
        if refused:
            fail(f"the page broke its Content-Security-Policy: {refused[0]}", driver, args.screenshot)
        driver.save_screenshot(args.screenshot)
        print("Assistant reply:")
        print(text)
        print(f"OK: screenshot saved to {args.screenshot}")
        if args.mastodon_url:
            post_flow.run(driver, deadline, wait_for, fail, args.mastodon_url.rstrip("/"), args.zone, args.post_screenshot or args.screenshot)
            print(f"OK: posting loop, screenshot saved to {args.post_screenshot or args.screenshot}")
        return 0
    except TimeoutException as e:
        fail(f"{e.msg or e} after {args.timeout:.0f}s", driver, args.screenshot)
    except WebDriverException as e:
        fail(f"browser error: {e.msg}", driver, args.screenshot)
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
