#!/usr/bin/env python3
"""Regenerates the 80x24 captures in docs/console.md from the real binary, under tmux.

    python3 docs/capture_console.py [HISHOP]     # HISHOP: how to run the tool (default: hishop)

It prepares /tmp/condemo with `hishop demo`, an operator, one order placed through the Open API (the demo's signed
curl) and shipped, then signs in as the merchant and as the operator and captures each screen into the code block
under its heading. Needs tmux and curl.
"""
import os, re, shlex, shutil, subprocess, sys, time

HISHOP = shlex.split(sys.argv[1]) if len(sys.argv) > 1 else ["hishop"]
DATA = "/tmp/condemo"
PORT = "5399"
DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "console.md")
OPERATOR, OPERATOR_PASSWORD = "ops@example.com", "ops-password-1"


def hishop(*args):
    return subprocess.run(HISHOP + list(args) + ["--data-dir", DATA], check=True, capture_output=True, text=True).stdout


def tmux(*args):
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def prepare():
    shutil.rmtree(DATA, ignore_errors=True)
    serve = subprocess.Popen(HISHOP + ["serve", "--data-dir", DATA, "--urls", f"http://127.0.0.1:{PORT}"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if subprocess.run(["curl", "-fs", f"http://127.0.0.1:{PORT}/healthz"], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        demo = hishop("demo", "--server", f"http://127.0.0.1:{PORT}")
        password = re.search(r"^password:\s+(\S+)", demo, re.M).group(1)
        curl = demo[demo.index("curl -sS"):].split("\n\n")[0]
        placed = subprocess.run(["bash", "-c", curl], check=True, capture_output=True, text=True).stdout
        order_no = re.search(r'"order_no":"(HS\w+)"', placed).group(1)
        hishop("order", "process", "--order-no", order_no)
        hishop("order", "ship", "--order-no", order_no, "--carrier", "DHL", "--tracking-no", "JD014600006281")
        hishop("user", "create", "--email", OPERATOR, "--password", OPERATOR_PASSWORD, "--role", "operator")
        return password
    finally:
        serve.terminate()
        serve.wait()


class Console:
    opened = 0

    def __init__(self):
        Console.opened += 1
        self.session = f"capture{os.getpid()}-{Console.opened}"
        command = " ".join(shlex.quote(a) for a in HISHOP + ["console", "--data-dir", DATA])
        tmux("new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", f"env -u DisableRealDriverIO TZ=UTC {command}; sleep 5")
        self.wait_for("Sign in")

    def keys(self, *keys, literal=False):
        tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def capture(self):
        return "\n".join(line.rstrip() for line in tmux("capture-pane", "-p", "-t", self.session).rstrip("\n").split("\n"))

    def wait_for(self, text, settle=1.0):
        for _ in range(150):
            if text in self.capture():
                time.sleep(settle)  # what loads in the background has arrived
                return self.capture()
            time.sleep(0.2)
        raise SystemExit(f"the console never showed {text!r}:\n{self.capture()}")

    def sign_in(self, email, password, expect):
        self.keys(email, literal=True)
        self.keys("Tab")
        self.keys(password, literal=True)
        self.keys("Enter")
        return self.wait_for(expect)

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


def main():
    password = prepare()
    shots = {}
    c = Console()
    try:
        shots["Sign in"] = c.capture()
        c.sign_in("demo@hishop.local", password, "Credit Status")
        for number, name, expect in [("1", "Overview", "Recent transactions"), ("2", "Transactions", "entries"), ("3", "Keys", "Fee rate"),
                                     ("4", "Profile", "Change password"), ("5", "Goods", "goods"), ("6", "Orders", "order"),
                                     ("7", "API Docs", "API DOCUMENTATION"), ("8", "Webhooks", "Test ping")]:
            c.keys("M-" + number)
            shots[name] = c.wait_for(expect)
    finally:
        c.close()
    c = Console()
    try:
        c.sign_in(OPERATOR, OPERATOR_PASSWORD, "Company")
        shots["Merchants"] = c.capture()
        c.keys("Enter")
        c.keys("M-g")
        shots["Ledger"] = c.wait_for("entries")
        for number, name, expect in [("3", "All Orders", "order"), ("4", "Users", "Locked"), ("5", "Catalog", "Categories")]:
            c.keys("M-" + number)
            shots[name] = c.wait_for(expect)
    finally:
        c.close()

    doc = open(DOC, encoding="utf-8").read()
    for name, shot in shots.items():
        level = "##" if name == "Sign in" else "###"  # "## Keys" is the key table; the Keys screen is "### Keys"
        heading = re.search(rf"^{level} {re.escape(name)}\n", doc, re.M)
        if heading is None:
            raise SystemExit(f"docs/console.md has no heading {name!r}")
        start = doc.index("```\n", heading.end()) + 4
        end = doc.index("```\n", start)
        doc = doc[:start] + shot + "\n" + doc[end:]
    open(DOC, "w", encoding="utf-8").write(doc)
    print(f"captured {len(shots)} screens into {DOC}")


if __name__ == "__main__":
    main()
