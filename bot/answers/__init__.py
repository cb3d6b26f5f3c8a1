"""The answer bank (issue #16): short answers to the questions families ask, found by meaning and by words.

`content` reads and checks data/local_offer/answers/; `rules` holds the limits an answer must meet (shared by
the loader and the console); `vectors` turns an answer's wordings into stored sentence vectors; `scoring` is
the pure ranking; `answer_model` the learned "which answer is this?" term it adds, fitted when content is loaded
or edited; `retrieval` is what the chat action calls (`find_answers`, `best_answer_reply`);
`evaluation` scores retrieval on the blind probes.
"""
