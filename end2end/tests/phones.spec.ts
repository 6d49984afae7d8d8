// Issue 25, « phones first »: at 320 px (the narrowest phones in use), with a finger (a
// coarse pointer: Chromium's touch emulation), no page scrolls sideways and every control is
// at least 44 × 44 px (WCAG 2.5.5, RGAA 13), on public, account, organizer, moderation and
// administration pages.
import { expect, test, type Page } from "@playwright/test";
import { demoAccount, signIn, signInStaff, sql } from "./support";

test.use({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });

type Findings = { coarse: boolean; scrollWidth: number; width: number; sticking: string[]; small: string[] };

/** What a finger meets on the page: sideways overflow and small controls. */
async function measure(page: Page): Promise<Findings> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}.${[...e.classList].slice(0, 3).join(".")}`;
    const visible = (e: Element) => {
      const box = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && !e.closest(".fr-sr-only, [hidden]");
    };
    // Content past the right edge that no scrolling box of its own holds (a wide table in a
    // scrollable wrapper is fine; content cut off or pushing the page sideways is not).
    // Content: what has no element inside (text, an icon) and what is drawn whole (media,
    // controls, tables); a container's own box may reach past the edge by its margins (the
    // DSFR's header bar does, by 4 px, at every width) without anything in it doing so.
    const content = (e: Element) =>
      e.childElementCount === 0 || ["svg", "img", "table", "input", "select", "button", "pre", "video", "iframe"].includes(e.tagName.toLowerCase());
    const sticking: string[] = [];
    for (const e of document.querySelectorAll("body *")) {
      if (!content(e) || e.closest("svg") !== e && e.closest("svg")) continue;
      const box = e.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 0.5 || !visible(e)) continue;
      let ancestor = e.parentElement;
      let held = false;
      while (ancestor && ancestor !== document.body) {
        const overflow = getComputedStyle(ancestor).overflowX;
        if (overflow === "auto" || overflow === "scroll") {
          held = true;
          break;
        }
        ancestor = ancestor.parentElement;
      }
      if (!held) sticking.push(`${name(e)} → ${Math.round(box.right)} px`);
    }
    const controls = document.querySelectorAll(
      "button, .fr-btn, input[type=submit], input[type=search], input[type=text], input[type=email], input[type=password], input[type=date], input[type=datetime-local], input[type=url], select, summary, .fr-tag",
    );
    const small = [...controls]
      .filter(visible)
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width < 43.5 || box.height < 43.5;
      })
      .map((e) => {
        const box = e.getBoundingClientRect();
        return `${name(e)} ${Math.round(box.width)}×${Math.round(box.height)}`;
      });
    return {
      coarse: matchMedia("(pointer: coarse)").matches,
      scrollWidth: document.documentElement.scrollWidth,
      width,
      sticking: [...new Set(sticking)].slice(0, 10),
      small: [...new Set(small)],
    };
  });
}

async function checkPages(page: Page, urls: string[]) {
  const problems: string[] = [];
  for (const url of urls) {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    const found = await measure(page);
    expect(found.coarse, "the finger is emulated").toBe(true);
    if (found.scrollWidth > found.width) problems.push(`${url}: scrolls sideways (${found.scrollWidth} px)`);
    for (const s of found.sticking) problems.push(`${url}: past the edge: ${s}`);
    for (const s of found.small) problems.push(`${url}: smaller than 44 × 44: ${s}`);
  }
  expect(problems).toEqual([]);
}

test("public and account pages, at 320 px with a finger", async ({ page }) => {
  const slug = sql("SELECT slug FROM events WHERE status = 'published' AND edition_year = 2026 ORDER BY id LIMIT 1");
  const lab = sql("SELECT slug FROM labs ORDER BY id LIMIT 1");
  await checkPages(page, [
    "/",
    "/programme",
    "/programme?vue=calendrier",
    "/programme?vue=carte",
    `/evenements/${slug}`,
    // The A4 poster, zoomed out to the screen.
    `/evenements/${slug}/affiche`,
    "/mon-programme",
    "/editions",
    "/editions/2025",
    "/editions/2025/bilan",
    "/labs",
    `/labs/${lab}`,
    "/accessibilite",
    "/connexion",
    "/inscription",
    "/mot-de-passe-oublie",
  ]);
});

test("organizer pages, at 320 px with a finger", async ({ page }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const organizer = demoAccount("organizer");
  await signIn(page, organizer.email, organizer.password, js);
  const event = sql(
    `SELECT e.id FROM events e JOIN accounts a ON a.id = e.organizer_id WHERE a.email = '${organizer.email}' ORDER BY e.id LIMIT 1`,
  );
  await checkPages(page, ["/organisateur", "/organisateur/evenements/nouveau", `/organisateur/evenements/${event}`, "/compte"]);
});

test("moderation and administration pages, at 320 px with a finger", async ({ page }, testInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  await signInStaff(page, "admin", js);
  const submitted = sql("SELECT id FROM events WHERE status = 'submitted' ORDER BY id LIMIT 1");
  await checkPages(page, [
    "/moderation",
    `/moderation/evenements/${submitted}`,
    "/admin",
    "/admin/vocabulaires",
    "/admin/comptes",
    "/admin/import",
    "/admin/labs",
    "/admin/courriels",
  ]);
});
