"""What policygen knows of the law and the amounts a governing document cites:
the fact registry (`registry`), read by the generator and the linter alike so a
document and its check never disagree."""
