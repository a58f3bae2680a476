import sys

from initcheck.cli import main

sys.exit(main())
