from medtrace.cli import run

run()
