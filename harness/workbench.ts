/**
 * What a person does in the workbench, as Playwright steps: open the EC2 view, find a row, right-click
 * it, run a palette command, read the terminal, the notifications and the Extensions view. Selectors are
 * VS Code's own DOM.
 */
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  async openEc2View(): Promise<Locator> {
    const view = this.page.locator('.pane', { has: this.page.locator('.pane-header[aria-label^="Instances"]') });
    if (!(await view.isVisible())) await this.page.locator('.activitybar .action-label[aria-label="EC2"]').click();
    await view.waitFor();
    return view;
  }

  /** The tree row whose label is `label` (waits for it). */
  async row(label: string, timeout = 30_000): Promise<Locator> {
    const view = await this.openEc2View();
    const row = view.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) });
    await row.first().waitFor({ timeout });
    return row.first();
  }

  /** The visible rows' labels, in order. */
  async rowLabels(): Promise<string[]> {
    const view = await this.openEc2View();
    return view.locator('.monaco-list-row .label-name').allInnerTexts();
  }

  /** What hovering the row shows (its tooltip, plain text). */
  async rowTooltip(label: string, timeout = 5_000): Promise<string> {
    const row = await this.row(label);
    // The row's own hover (another one, the activity bar's, may be showing): its text holds the label.
    const hover = this.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: label }).filter({ visible: true }).last();
    for (let attempt = 1; ; attempt++) {
      // A hover shows when the pointer comes onto the row: from somewhere else first.
      await this.page.mouse.move(700, 300);
      await row.locator('.label-name').hover();
      try {
        await hover.waitFor({ state: 'visible', timeout });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    const text = await hover.innerText();
    await this.page.keyboard.press('Escape');
    return text;
  }

  async rowDescription(label: string): Promise<string> {
    return (await this.row(label)).locator('.label-description').innerText();
  }

  /** Polls until the row's description matches (the view updates on its own or after a refresh). */
  async waitForRowDescription(label: string, pattern: RegExp, timeout = 30_000): Promise<string> {
    const deadline = Date.now() + timeout;
    let description = '';
    while (Date.now() < deadline) {
      description = await this.rowDescription(label).catch(() => '');
      if (pattern.test(description)) return description;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`row ${label} never matched ${pattern}; it shows "${description}"`);
  }

  async waitForRowGone(label: string, timeout = 30_000): Promise<void> {
    const deadline = Date.now() + timeout;
    while ((await this.rowLabels()).includes(label)) {
      if (Date.now() > deadline) throw new Error(`row ${label} is still shown`);
      await this.page.waitForTimeout(250);
    }
  }

  async contextMenu(label: string, item: string): Promise<void> {
    await (await this.row(label)).click({ button: 'right' });
    const entry = this.page.locator('.monaco-menu .action-item .action-label', { hasText: new RegExp(`^${escape(item)}$`) }).first();
    await entry.waitFor();
    // VS Code ignores a click that comes right after the menu opened; hover (which focuses the item), then Enter.
    await entry.hover();
    await this.page.waitForTimeout(150);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
  }

  async contextMenuItems(label: string): Promise<string[]> {
    await (await this.row(label)).click({ button: 'right' });
    const menu = this.page.locator('.monaco-menu');
    await menu.first().waitFor();
    const items = (await menu.first().locator('.action-item .action-label').allInnerTexts()).filter((t) => t.trim());
    await this.page.keyboard.press('Escape');
    return items;
  }

  /** Clicks a button in the view's title bar by its tooltip. */
  async viewAction(title: string): Promise<void> {
    await this.openEc2View();
    // With one view in the container its actions sit in the container's title; otherwise in the view's header.
    await this.page.locator('.part.sidebar').locator(`.action-label[aria-label^="${title}"]`).locator('visible=true').first().click();
  }

  async viewDescription(): Promise<string> {
    const view = await this.openEc2View();
    // textContent, not innerText: with one view in the container its header (and description) is hidden.
    return ((await view.locator('.pane-header .description').first().textContent()) ?? '').trim();
  }

  /** F1, the command's title, Enter. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const item = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    await item.waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Types into the open quick pick / input box and accepts. */
  async quickInput(text: string, accept = true): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(text);
    if (accept) await this.page.keyboard.press('Enter');
  }

  async quickPickItems(): Promise<string[]> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    return rows.allInnerTexts();
  }

  async pickQuickItem(text: string): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first().click();
  }

  /** The text of the active terminal (DOM renderer). */
  async terminalText(): Promise<string> {
    // With several terminals each keeps its wrapper; the one shown is the active one.
    const rows = this.page.locator('.terminal-wrapper.active .xterm-rows').filter({ visible: true }).last();
    await rows.waitFor({ state: 'attached', timeout: 5_000 });
    // One div per screen row; non-breaking spaces stand for blanks in the DOM renderer.
    const lines = await rows.locator(':scope > div').allTextContents();
    return lines.map((line) => line.replace(/\u00a0/g, ' ').trimEnd()).join('\n').trimEnd();
  }

  async waitForTerminalText(pattern: RegExp, timeout = 60_000): Promise<string> {
    const deadline = Date.now() + timeout;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.terminalText().catch((err: Error) => `(no terminal text: ${err.message.split('\n')[0]})`);
      if (pattern.test(text)) return text;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`terminal never showed ${pattern}; it shows:\n${text}`);
  }

  /** Types into the focused terminal. */
  async typeInTerminal(text: string): Promise<void> {
    await this.page.locator('.terminal-wrapper.active .xterm').filter({ visible: true }).last().click();
    await this.page.keyboard.type(text, { delay: 20 });
  }

  async terminalTabs(): Promise<string[]> {
    // One tab is shown in the panel's title; several in the tabs list beside the terminal.
    const names = await this.page.locator('.terminal-tabs-entry, .single-terminal-tab').allTextContents();
    return names.map((name) => name.trim()).filter(Boolean);
  }

  /** The notification toast whose message matches, with its buttons. */
  async notification(pattern: RegExp, timeout = 30_000): Promise<{ message: string; buttons: string[]; toast: Locator }> {
    const toast = this.page.locator('.notification-toast', { hasText: pattern }).first();
    await toast.waitFor({ timeout });
    const message = await toast.locator('.notification-list-item-message').innerText();
    const buttons = await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts();
    return { message, buttons, toast };
  }

  async clickNotificationButton(pattern: RegExp, button: string): Promise<void> {
    const { toast } = await this.notification(pattern);
    await toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
  }

  /**
   * Waits until the editor shows the extension `id`: its page in an extension editor, or the Extensions
   * view searching for it (`@id:<id>`, what VS Code falls back to when the gallery cannot be reached).
   * Says which, or throws with what the Extensions view and the editor tabs show.
   */
  async waitForExtensionShown(id: string, timeout = 30_000): Promise<'page' | 'search'> {
    const page = this.page.locator('.extension-editor .header .identifier', { hasText: new RegExp(`^${escape(id)}$`, 'i') });
    const deadline = Date.now() + timeout;
    for (;;) {
      if (await page.first().isVisible().catch(() => false)) return 'page';
      const search = await this.extensionsSearchText().catch(() => '');
      if (search === `@id:${id}`) return 'search';
      if (Date.now() > deadline) {
        const tabs = await this.editorTabs().catch(() => []);
        throw new Error(`the editor never showed ${id}: the Extensions view searches for "${search}", the editor tabs are [${tabs.join(', ')}]`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /** The text in the Extensions view's search box ('' when the view is not open). */
  async extensionsSearchText(): Promise<string> {
    const box = this.page.locator('.extensions-viewlet .extensions-search-container .view-lines').first();
    if (!(await box.isVisible())) return '';
    return (await box.innerText()).replace(/\u00a0/g, ' ').trim();
  }

  /** The open editors' tab labels (their accessible names, e.g. "Extension: Open Remote - SSH"). */
  async editorTabs(): Promise<string[]> {
    const labels = await this.page.locator('.tabs-container .tab').evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('aria-label') ?? ''));
    return labels.filter(Boolean);
  }

  /** A modal dialog's message and buttons. */
  async dialog(timeout = 30_000): Promise<{ message: string; buttons: string[]; dialog: Locator }> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout });
    const message = await dialog.locator('.dialog-message').innerText();
    const buttons = await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts();
    return { message, buttons, dialog };
  }

  async clickDialogButton(button: string): Promise<void> {
    const { dialog } = await this.dialog();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
  }

  async clearNotifications(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  }

  async screenshot(path: string): Promise<void> {
    // Away from hovers; let notifications and menus finish sliding in.
    await this.page.mouse.move(850, 250);
    await this.page.waitForTimeout(500);
    await this.page.screenshot({ path });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
