"""The assistant's posting loop in the browser, on the offline provider and a local fake Mastodon:
ask for a scheduled post -> a preview card with the resolved local time -> Edit -> Save (the card
is redrawn with the new text) -> Confirm -> scheduled; then a post for now -> Confirm -> published,
with the status's link on the card, and the fake holds exactly the confirmed text.
"""
import base64
import json
import os
import tempfile
import urllib.request

from selenium.webdriver.common.by import By

SCHEDULED = "schedule a post about our spring sale on mastodon tomorrow at 10:00"
EDITED = "Spring sale: 20% off everything this weekend, in store and online!"
NOW = "post about our tulip week on mastodon"


def ask(driver, deadline, wait_for, text):
    """Sends `text` in the current conversation and returns the number of cards before it."""
    cards = len(driver.find_elements(By.CSS_SELECTOR, ".post-card"))
    box = driver.find_element(By.ID, "message-input")
    box.send_keys(text)
    send = driver.find_element(By.ID, "send")
    wait_for(driver, deadline, "the Send button to enable", lambda d: send.is_enabled())
    send.click()
    return cards


def new_card(driver, deadline, wait_for, before):
    return wait_for(driver, deadline, "a new post preview card",
                    lambda d: (lambda c: c[before] if len(c) > before else None)(d.find_elements(By.CSS_SELECTOR, ".post-card")))


def run(driver, deadline, wait_for, fail, mastodon_url, zone, screenshot):
    driver.find_element(By.ID, "new-conversation").click()
    wait_for(driver, deadline, "the new conversation's history",
             lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .empty"))

    # 1. A scheduled draft: the card shows tomorrow 10:00 in the browser's zone.
    before = ask(driver, deadline, wait_for, SCHEDULED)
    card = new_card(driver, deadline, wait_for, before)
    post_id = card.get_attribute("data-post-id")
    schedule = card.find_element(By.CSS_SELECTOR, ".schedule").text
    if "10:00" not in schedule or zone not in schedule:
        fail(f"the card's schedule is not tomorrow 10:00 {zone}: {schedule!r}", driver, screenshot)
    if "mastodon" not in card.find_element(By.CSS_SELECTOR, ".targets").text:
        fail("the card has no Mastodon row", driver, screenshot)

    # 2. Edit in place, Save: the post.preview that follows redraws the card with the new text.
    card.find_element(By.CSS_SELECTOR, "button.edit").click()
    box = wait_for(driver, deadline, "the edit box", lambda d: card.find_element(By.CSS_SELECTOR, "textarea.edit-text"))
    box.clear()
    box.send_keys(EDITED)
    card.find_element(By.CSS_SELECTOR, "button.save").click()

    def redrawn(d):
        c = d.find_element(By.CSS_SELECTOR, f'.post-card[data-post-id="{post_id}"]')
        texts = c.find_elements(By.CSS_SELECTOR, ".text")
        return c if texts and texts[0].text == EDITED else None
    card = wait_for(driver, deadline, "the card redrawn with the edited text", redrawn)
    length = card.find_element(By.CSS_SELECTOR, '.targets li[data-platform="mastodon"]').text
    if f"{len(EDITED)} / 500" not in length:
        fail(f"the length meter does not show the edited text's length: {length!r}", driver, screenshot)

    # 3. Confirm: scheduled, nothing published yet.
    card.find_element(By.CSS_SELECTOR, "button.confirm").click()
    wait_for(driver, deadline, "the card to say it is scheduled",
             lambda d: d.find_element(By.CSS_SELECTOR, f'.post-card[data-post-id="{post_id}"]').get_attribute("data-state") == "scheduled")

    # 4. A post for now: Confirm publishes it, and the card shows the status's link.
    before = ask(driver, deadline, wait_for, NOW)
    card = new_card(driver, deadline, wait_for, before)
    now_id = card.get_attribute("data-post-id")
    if card.find_element(By.CSS_SELECTOR, ".schedule").text != "Publishes when you confirm":
        fail("a post for now shows a schedule", driver, screenshot)
    text = card.find_element(By.CSS_SELECTOR, ".text").text
    card.find_element(By.CSS_SELECTOR, "button.confirm").click()

    def published(d):
        c = d.find_element(By.CSS_SELECTOR, f'.post-card[data-post-id="{now_id}"]')
        links = c.find_elements(By.CSS_SELECTOR, '.targets li[data-status="published"] a')
        return links[0].get_attribute("href") if links and c.get_attribute("data-state") == "published" else None
    link = wait_for(driver, deadline, "the published card with its link", published)
    if not link.startswith(mastodon_url + "/@"):
        fail(f"the link is not the fake Mastodon's status page: {link}", driver, screenshot)

    with urllib.request.urlopen(mastodon_url + "/_ledger", timeout=5) as response:
        ledger = json.load(response)
    if [s["text"] for s in ledger] != [text]:
        fail(f"Mastodon holds {ledger!r}, expected only the confirmed post {text!r}", driver, screenshot)
    if not link.endswith("/" + ledger[0]["id"]):
        fail(f"the link {link} is not the status {ledger[0]['id']}", driver, screenshot)

    # 5. An image attached in the composer is uploaded and sent with the message.
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    path = os.path.join(tempfile.mkdtemp(), "tulips.png")
    with open(path, "wb") as f:
        f.write(png)
    driver.execute_script("document.getElementById('attach-input').hidden = false")
    driver.find_element(By.ID, "attach-input").send_keys(path)
    wait_for(driver, deadline, "the attachment chip", lambda d: d.find_elements(By.CSS_SELECTOR, "#attachments .chip"))
    answers = len(driver.find_elements(By.CSS_SELECTOR, '.message.assistant[data-state="completed"]'))
    ask(driver, deadline, wait_for, "what do you think of this photo?")
    wait_for(driver, deadline, "the message with its image to be sent and answered",
             lambda d: len(d.find_elements(By.CSS_SELECTOR, '.message.assistant[data-state="completed"]')) > answers)
    mine = driver.find_elements(By.CSS_SELECTOR, ".message.user")[-1].text
    if "[image]" not in mine or driver.find_elements(By.CSS_SELECTOR, "#attachments .chip"):
        fail(f"the sent message does not show its image, or the chip stayed: {mine!r}", driver, screenshot)

    driver.save_screenshot(screenshot)
    print(f"Post flow: scheduled {post_id} ({schedule}), published {now_id} at {link}")
