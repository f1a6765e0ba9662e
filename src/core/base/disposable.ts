/** Anything that holds a resource until disposed: vscode.Disposable has this shape too. */
export interface Disposable {
  dispose(): void;
}

/**
 * The things an object created, disposed together with it (in reverse order, each once, even when one
 * throws). After dispose(), whatever is added is disposed at once.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** A plain function run at dispose (an unsubscribe, a clearTimeout). */
  addFunction(dispose: () => void): void {
    this.add({ dispose });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
  }
}
