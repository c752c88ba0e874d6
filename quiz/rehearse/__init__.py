"""`quiz rehearse`: the contest played against a real server by simulated teams,
through simulated network trouble, to learn the MC console and to check that
faults change no total (quiz/rehearse/play.py). Above the web layer: it runs
the server as a process and talks to it only over Socket.IO, as a tablet does.
"""
