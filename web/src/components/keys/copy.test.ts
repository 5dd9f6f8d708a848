import { afterEach, describe, expect, it, vi } from "vitest";
import { copyText } from "./copy";

describe("copyText", () => {
  afterEach(() => {
    document.body.innerHTML = "";
  });

  it("writes to the clipboard", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { clipboard: { writeText } });

    expect(await copyText("aeg_prod_secret")).toBe(true);
    expect(writeText).toHaveBeenCalledWith("aeg_prod_secret");
  });

  it("copies the selected field when the clipboard refuses", async () => {
    vi.stubGlobal("navigator", { clipboard: { writeText: vi.fn().mockRejectedValue(new Error("not allowed")) } });
    const execCommand = vi.fn().mockReturnValue(true);
    document.execCommand = execCommand;
    const input = document.createElement("input");
    input.value = "aeg_prod_secret";
    document.body.append(input);

    expect(await copyText("aeg_prod_secret", input)).toBe(true);
    expect(execCommand).toHaveBeenCalledWith("copy");
    expect(document.activeElement).toBe(input);
    expect(input.selectionStart).toBe(0);
    expect(input.selectionEnd).toBe("aeg_prod_secret".length);
  });

  it("says it could not copy without a clipboard or a field", async () => {
    vi.stubGlobal("navigator", {});

    expect(await copyText("aeg_prod_secret")).toBe(false);
  });
});
