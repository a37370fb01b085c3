"""The explorer in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium) against a
real `kg explore` server on a store built by `kg build`: search, an entity page with its evidence, the graph
expanded by a click, a report and its CSV, and a rebuild seen by the next page load.

With KG_SCREENSHOTS=DIR the entity page and the graph view are saved as PNG files in DIR (docs/img)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.explorer_support import BLITAR, Explorer, kg_build, new_articles, seeds_store

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        pytest.fail("chromium and chromium-driver are needed (.ci/run installs them)", pytrace=False)
    pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)

SCREENSHOTS = os.environ.get("KG_SCREENSHOTS")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-US"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def explorer(tmp_path_factory):
    with Explorer(seeds_store(tmp_path_factory.mktemp("explorer"))) as running:
        yield running


def wait(driver, timeout: float = 20) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def test_explorer_search_finds_an_abbreviated_name_and_opens_its_page(browser, explorer):
    browser.get(explorer.url + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("pemkot BLITAR")
    box.submit()
    hits = wait(browser).until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, "a.hit")))
    assert hits[0].text == "Pemerintah Kota Blitar"
    hits[0].click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "entity-label"), "Pemerintah Kota Blitar"))
    assert "/id/agency/government-3572" in browser.current_url


def test_explorer_entity_page_shows_codes_facts_and_highlighted_evidence(browser, explorer):
    browser.get(explorer.url + "/search?q=kota+blitar")
    wait(browser).until(EC.element_to_be_clickable((By.LINK_TEXT, "Kota Blitar"))).click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "entity-label"), "Kota Blitar"))
    ids = browser.find_element(By.CSS_SELECTOR, "dl.ids").text
    assert "3572" in ids and "Q11441" in ids
    assert browser.find_element(By.CSS_SELECTOR, "a.wikidata").get_attribute("href") == \
        "http://www.wikidata.org/entity/Q11441"
    facts = browser.find_elements(By.CSS_SELECTOR, "tr.fact")
    award = next(f for f in facts if "UHC Awards 2026" in f.find_element(By.CSS_SELECTOR, "td.statement").text)
    quote = award.find_element(By.CSS_SELECTOR, "blockquote.evidence")
    assert "Kota Blitar Raih UHC Awards 2026" in quote.text
    assert {m.text for m in quote.find_elements(By.TAG_NAME, "mark")} >= {"Kota Blitar", "UHC Awards 2026"}
    assert "000_c0579e94ec1dab6c.txt" in quote.find_element(By.TAG_NAME, "cite").text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.measurements tbody tr")
    assert any("163,342" in r.text and "2025-11-01" in r.text for r in rows)
    if SCREENSHOTS:
        wait(browser).until(lambda d: d.find_element(By.ID, "graph").get_attribute("data-nodes"))
        time.sleep(0.5)
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(height + 140, 2400))      # the whole page, evidence included
        time.sleep(0.5)
        browser.save_screenshot(str(Path(SCREENSHOTS) / "explorer-entity.png"))
        browser.set_window_size(1280, 1000)


def graph_nodes(browser) -> int:
    return browser.execute_script("return window.kgGraph ? window.kgGraph.nodes().length : 0")


def test_explorer_graph_expands_a_node_on_click(browser, explorer):
    browser.get(explorer.url + "/graph?iri=" + BLITAR)
    box = wait(browser).until(EC.presence_of_element_located((By.ID, "graph")))
    wait(browser).until(lambda d: box.get_attribute("data-nodes") and box.get_attribute("data-loading") == "0")
    before = graph_nodes(browser)
    ids = browser.execute_script("return window.kgGraph.nodes().map(n => n.id())")
    assert BLITAR in ids and "https://w3id.org/kabar-kg/id/agency/government-3572" in ids
    assert "https://w3id.org/kabar-kg/id/agreement/mou-74ed1ead5c8a" not in ids   # two links away
    # click the Pemkot node where cytoscape draws it (its position within the graph box)
    x, y, w, h = browser.execute_script("""
        var n = window.kgGraph.getElementById('https://w3id.org/kabar-kg/id/agency/government-3572');
        var p = n.renderedPosition(), box = document.getElementById('graph');
        return [p.x, p.y, box.clientWidth, box.clientHeight];""")
    ActionChains(browser).move_to_element_with_offset(box, int(x - w / 2), int(y - h / 2)).click().perform()
    wait(browser).until(lambda d: graph_nodes(d) > before and box.get_attribute("data-loading") == "0")
    ids = browser.execute_script("return window.kgGraph.nodes().map(n => n.id())")
    assert "https://w3id.org/kabar-kg/id/agreement/mou-74ed1ead5c8a" in ids
    if SCREENSHOTS:
        time.sleep(0.5)
        browser.save_screenshot(str(Path(SCREENSHOTS) / "explorer-graph.png"))


def test_explorer_report_table_and_csv_download(browser, explorer, downloads):
    browser.get(explorer.url + "/reports")
    wait(browser).until(EC.element_to_be_clickable((By.LINK_TEXT, "awards-by-municipality"))).click()
    table = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.results")))
    text = table.text
    assert "Opini Kualitas Tertinggi" in text and "2026-01-30" in text and "Ombudsman Republik Indonesia" in text
    assert "^^" not in text and "https://" not in text          # dates as dates, labels not IRIs
    browser.find_element(By.ID, "csv").click()
    target = downloads / "awards-by-municipality.csv"
    wait(browser).until(lambda d: target.is_file() and target.stat().st_size > 0)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0] == ["area", "award", "conferredBy", "date", "category"]
    assert ["Kota Blitar", "Opini Kualitas Tertinggi", "Ombudsman Republik Indonesia", "2026-01-30", "Zona Hijau"] in rows


def test_explorer_sparql_page_runs_a_named_query(browser, explorer):
    browser.get(explorer.url + "/sparql?named=officials")
    assert "PREFIX kg:" in browser.find_element(By.ID, "query").get_attribute("value")
    browser.find_element(By.ID, "run").click()
    table = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.results")))
    assert "Elim Tyu Samba" in table.text and "Wakil Wali Kota" in table.text


def test_explorer_sees_a_rebuilt_store_on_the_next_page_load(browser, tmp_path):
    store = seeds_store(tmp_path)
    with Explorer(store) as running:
        browser.get(running.url + "/search?q=sleman")
        assert not browser.find_elements(By.CSS_SELECTOR, "a.hit")
        browser.get(running.url + "/reports/agreements")
        assert "MoU Jaminan Kesehatan Nasional" in browser.find_element(By.CSS_SELECTOR, "table.results").text
        kg_build(store, new_articles(tmp_path))          # while the explorer runs
        browser.get(running.url + "/search?q=sleman")
        hits = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "a.hit")]
        assert "Kabupaten Sleman" in hits and "Pemerintah Kabupaten Sleman" in hits
        browser.get(running.url + "/reports/agreements")
        assert "MoU Jaminan Kesehatan Nasional" not in browser.find_element(By.CSS_SELECTOR, "table.results").text
        browser.get(running.url + "/id/municipality/3404-kabupaten-sleman")
        assert browser.find_element(By.ID, "entity-label").text == "Kabupaten Sleman"
