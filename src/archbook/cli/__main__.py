import sys

from archbook.cli import main

sys.exit(main())
