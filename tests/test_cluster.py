"""How many clusters (site_src/cluster.py): the fewest that separate about as well as the best."""

from site_src.cluster import K_TOLERANCE, fewest_as_good

from conftest import copy_site, run_cli


def test_the_fewest_clusters_within_the_silhouettes_noise_of_the_best_are_chosen():
    seeds = {6: 0.0503, 7: 0.0579, 8: 0.0589, 9: 0.0495, 10: 0.0659, 16: 0.0656, 22: 0.0684, 24: 0.073}
    assert fewest_as_good(seeds) == 10  # 0.0659 is within 10 % of 0.073; 0.0589 is not
    assert fewest_as_good({6: 0.2, 7: 0.1, 8: 0.05}) == 6  # a clear best is kept
    assert fewest_as_good({6: 0.05, 12: 0.1}) == 12
    assert fewest_as_good({6: 0.1 * (1 - K_TOLERANCE) + 1e-9, 12: 0.1}) == 6


def test_a_small_project_gets_a_few_broad_topics_not_one_per_handful_of_papers(tmp_path):
    """Two seed dumps (174 papers) were cut into 21 clusters of about 8 papers, at the top of
    the range, with silhouettes of 0.02-0.05 at every k: too weak to choose by."""
    root = copy_site(tmp_path / "site")
    for dump in sorted((root / "content/papers").glob("*.txt"))[2:]:
        dump.unlink()
    run_cli("build", "-q", cwd=root)
    index = (root / "_site/index.html").read_text()
    said = index.split(" clusters, the fewest from ")
    clusters, upto = int(said[0].split()[-1]), int(said[1].split()[2])
    assert upto == 174 // 15 and "(a cluster per 15 papers at most)" in said[1]
    assert 6 <= clusters <= upto
