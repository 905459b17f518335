import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { findTestChromium } from './testChromium';
import { screenshotFolder } from './screenshotFolder';

/** playwright-core runs it headless by itself; nothing in the page may reach out of the machine. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Long enough for a loaded machine: a wait ends as soon as the thing is there. */
const PATIENCE_MS = 60000;

export async function launchChromium(): Promise<Browser> {
  const build = await findTestChromium();
  // playwright-core starts it on a fresh profile directory of its own, removed on close.
  return chromium.launch({ executablePath: build.executablePath, args: [...build.args, ...CHROMIUM_ARGS] });
}

/** One person's Agents Playground in a browser page, driven the way that person would. */
export class PlaygroundPage {
  private constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string, viewport = { width: 1280, height: 1000 }): Promise<PlaygroundPage> {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(PATIENCE_MS);
    // The UI asks a CDN for fonts; nothing leaves this machine.
    const origin = new URL(url).origin;
    await page.route(
      (address) => address.origin !== origin,
      (route) => route.abort(),
    );
    await page.goto(url);
    return new PlaygroundPage(page);
  }

  /** A chat or channel of the left list: "Personal Chat", or "<team> - <channel>". */
  async openConversation(name: string): Promise<void> {
    await this.page.getByRole('treeitem', { name, exact: true }).click();
  }

  async say(text: string): Promise<void> {
    const compose = this.page.locator('[data-lexical-editor="true"]').last();
    await compose.click();
    await compose.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Starts a channel post that @mentions `botName`: in a channel, as in Teams, the bot hears
   * only what mentions it. The mention is picked from the list "@" opens.
   */
  async postMentioning(botName: string, text: string): Promise<void> {
    const post = this.page.locator('[data-lexical-editor="true"]').first();
    await post.click();
    await this.page.keyboard.type(`@${botName.slice(0, 3)}`);
    await this.page.getByRole('menuitem').filter({ hasText: botName }).first().click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  /** Waits for a text message from the bot (or anyone) reading `text`. */
  async message(text: string | RegExp): Promise<Locator> {
    const message = this.page.getByText(text).last();
    await message.waitFor();
    return message;
  }

  /** The newest Adaptive Card showing `text` (waits for it). */
  async card(text: string | RegExp): Promise<Locator> {
    const card = this.page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
    await card.waitFor();
    return card;
  }

  /**
   * Waits until every Adaptive Card showing `about` also shows `state` (cards converge after the
   * click's answer and the edits); the texts of those still not there when patience runs out.
   */
  async cardsNotYet(about: string, state: RegExp): Promise<string[]> {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const texts = await this.page.locator('.ac-adaptiveCard').filter({ hasText: about }).allTextContents();
      const behind = texts.filter((text) => !state.test(text));
      if (behind.length === 0 || Date.now() > deadline) return behind;
      await this.page.waitForTimeout(250);
    }
  }

  /** Types into a card's text input (named by the start of its label): clicked first, or the card keeps its old value. */
  async fill(card: Locator, label: string, text: string): Promise<void> {
    const input = card.getByRole('textbox', { name: label });
    await input.click();
    await input.fill(text);
  }

  async choose(card: Locator, label: string, option: string): Promise<void> {
    await card.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  async press(card: Locator, button: string): Promise<void> {
    await card.getByRole('button', { name: button, exact: true }).click();
  }

  /**
   * Presses a button the bot answers with the card drawn again (the form's kind and type, a rule
   * fix), and waits until the newest card showing `title` shows `shown`: the new card, not the old.
   */
  async pressAndWait(card: Locator, button: string, title: string, shown: string | RegExp): Promise<Locator> {
    await this.press(card, button);
    const redrawn = this.page.locator('.ac-adaptiveCard').filter({ hasText: title }).last();
    await redrawn.getByText(shown).first().waitFor();
    return redrawn;
  }

  /** Whether a card shows a text box labelled (at the start) `label`. */
  async hasTextBox(card: Locator, label: string): Promise<boolean> {
    return (await card.getByRole('textbox', { name: label }).count()) > 0;
  }

  /** The whole window, or one card, as `name` in the screenshots folder. */
  async screenshot(name: string, of?: Locator): Promise<void> {
    await (of ?? this.page).screenshot({ path: join(screenshotFolder(), name) });
  }
}
