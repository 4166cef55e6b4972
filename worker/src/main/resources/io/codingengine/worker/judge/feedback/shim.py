# Added by the judge to a Python output validator (see CustomChecker): collects the Kattis
# feedback directory. It creates the feedback directory (the third argument), runs the validator
# as a child with the same arguments and standard input, then writes one marker line to standard
# output with the feedback files in base64, and ends as the validator ended.
import base64
import os
import signal
import subprocess
import sys

MARK = "@MARK@"
VALIDATOR = @MAIN@
LIMIT = @LIMIT@

feedback = sys.argv[3] if len(sys.argv) > 3 else None
if feedback is not None:
    os.makedirs(feedback, exist_ok=True)
status = subprocess.call([sys.executable, "-B", VALIDATOR] + sys.argv[1:])
if feedback is not None:
    line = [MARK]
    for name in ("judgemessage.txt", "teammessage.txt", "score.txt", "score_multiplier.txt"):
        try:
            with open(os.path.join(feedback, name), "rb") as f:
                line.append(name + "=" + base64.b64encode(f.read(LIMIT)).decode("ascii"))
        except OSError:
            pass
    os.write(1, ("\n" + " ".join(line) + "\n").encode("ascii"))
if status < 0:
    signal.signal(-status, signal.SIG_DFL)
    os.kill(os.getpid(), -status)
sys.exit(status if status >= 0 else 1)
