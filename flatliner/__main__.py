import sys

from flatliner.cli import main

sys.exit(main())
