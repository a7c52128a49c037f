/**
 * Executes the example notebooks on Deno's Jupyter kernel (`jupyter nbconvert
 * --execute`, kernel installed by `deno jupyter --install`) and checks that no
 * cell raised and that each expected output is present. Without Jupyter the
 * test is ignored with the reason, unless ICL_REQUIRE_JUPYTER=1 (set in CI),
 * which makes a missing Jupyter a failure.
 */
import assert from "node:assert/strict";

const HERE = new URL("./", import.meta.url);
const REQUIRED = Deno.env.get("ICL_REQUIRE_JUPYTER") === "1";

async function commandWorks(cmd: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

async function denoKernelInstalled(): Promise<boolean> {
  try {
    const out = await new Deno.Command("jupyter", { args: ["kernelspec", "list", "--json"] })
      .output();
    const specs = JSON.parse(new TextDecoder().decode(out.stdout)).kernelspecs ?? {};
    return "deno" in specs;
  } catch {
    return false;
  }
}

const available = await commandWorks("jupyter", ["nbconvert", "--version"]) &&
  await denoKernelInstalled();
const reason = "jupyter nbconvert with the Deno kernel is not installed " +
  "(apt-get install jupyter-nbconvert jupyter-client; deno jupyter --install)";
if (!available && !REQUIRED) console.log(`notebooks test ignored: ${reason}`);

interface Executed {
  code: number;
  stderr: string;
  outputs: string;
}

/** Executes a notebook into a temporary directory and collects its outputs as text. */
async function execute(notebook: URL, dir: string): Promise<Executed> {
  const name = notebook.pathname.split("/").at(-1)!;
  const result = await new Deno.Command("jupyter", {
    args: [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=300",
      "--output-dir",
      dir,
      "--output",
      name,
      notebook.pathname,
    ],
    cwd: new URL(".", notebook).pathname,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  if (result.code !== 0) return { code: result.code, stderr, outputs: "" };
  const executed = JSON.parse(await Deno.readTextFile(`${dir}/${name}`));
  const texts: string[] = [];
  for (const cell of executed.cells) {
    for (const output of cell.outputs ?? []) {
      assert.notEqual(output.output_type, "error", `${name}: a cell raised ${output.ename}`);
      if (output.text) texts.push([output.text].flat().join(""));
      for (const [mime, data] of Object.entries(output.data ?? {})) {
        const text = typeof data === "string"
          ? data
          : Array.isArray(data) && data.every((line) => typeof line === "string")
          ? data.join("")
          : JSON.stringify(data);
        texts.push(`[${mime}] ${text}`);
      }
    }
  }
  return { code: 0, stderr, outputs: texts.join("\n") };
}

const EXPECTED: Record<string, RegExp[]> = {
  "01_population.ipynb": [
    /alpha\* = 0\.30769, rho\* = 0\.53846/,
    /LSA gap = 0\.04851, gamma\* = 0\.2700/,
    /two-parameter optimum = \(0\.3006\d, -0\.3006\d\)/,
    /every E_T\(alpha\*\) <= bound: true/,
    /\[application\/vnd\.vegalite\.v5\+json\] \{.*"scale":\{"type":"log"\}/,
  ],
  "02_training.ipynb": [
    /final alpha = 0\.1\d+/,
    /test risk = 0\.\d+ ± 0\.\d+ \(SE\)/,
    /population alpha_10 = 0\.3000/,
    /\[application\/vnd\.vegalite\.v5\+json\] \{.*"field":"alpha"/,
  ],
  "03_verify.ipynb": [
    /C10: /,
    /C7 alpha-star-equal: holds/,
    /C7 gamma-star-moves: holds/,
    /U1: E_\{2T\}\(alpha\*\) <= rho\*\^\{2T\} E_T\(alpha\*\).*\n.*-> holds/,
  ],
};

Deno.test({
  name: "example notebooks execute on the Deno kernel with their expected outputs",
  ignore: !available && !REQUIRED,
  async fn() {
    assert.ok(available, `ICL_REQUIRE_JUPYTER=1 but ${reason}`);
    const dir = await Deno.makeTempDir();
    try {
      const names = Object.keys(EXPECTED);
      const found = [...Deno.readDirSync(HERE)].map((e) => e.name).filter((n) =>
        n.endsWith(".ipynb")
      );
      assert.deepEqual(found.sort(), [...names].sort(), "every notebook has expectations");
      // Deno's Jupyter kernel is marked unstable, and it has sent a display after the
      // cell's idle status (nbconvert then drops it; seen once in about ten CI runs). A
      // notebook whose cells all ran but whose expected output is missing is executed
      // again, at most twice; a cell that raises fails at once.
      const missing = (name: string, outputs: string) =>
        EXPECTED[name].filter((pattern) => !pattern.test(outputs));
      const results = await Promise.all(names.map(async (n) => {
        let result = await execute(new URL(n, HERE), dir);
        for (let attempt = 1; attempt < 3; attempt++) {
          if (result.code !== 0 || missing(n, result.outputs).length === 0) break;
          console.log(`${n}: outputs missing on attempt ${attempt}, executing again`);
          result = await execute(new URL(n, HERE), dir);
        }
        return result;
      }));
      names.forEach((name, i) => {
        const { code, stderr, outputs } = results[i];
        assert.equal(code, 0, `${name} failed:\n${stderr.slice(-2000)}`);
        for (const pattern of EXPECTED[name]) {
          assert.match(
            outputs,
            pattern,
            `${name}: missing output ${pattern} in:\n${outputs.slice(0, 3000)}`,
          );
        }
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "control: a notebook with a broken cell fails the run",
  ignore: !available && !REQUIRED,
  async fn() {
    assert.ok(available, `ICL_REQUIRE_JUPYTER=1 but ${reason}`);
    const dir = await Deno.makeTempDir();
    try {
      const broken = {
        cells: [{
          cell_type: "code",
          id: "broken",
          metadata: {},
          execution_count: null,
          outputs: [],
          source: ['import { alphaStar } from "../mod.ts";\n', "alphaStar(undefined as never);"],
        }],
        metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      const path = new URL("_broken_control.ipynb", HERE);
      await Deno.writeTextFile(path, JSON.stringify(broken));
      try {
        const result = await execute(path, dir);
        assert.notEqual(result.code, 0, "the broken notebook was not caught");
        assert.match(result.stderr, /CellExecutionError|TypeError|Error/);
      } finally {
        await Deno.remove(path);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
