//! French labels of the public columns.

use crate::models::enums::{Region, SecteurActivite, StatutConformite, TypeFormalite};

pub fn libelle_secteur(secteur: SecteurActivite) -> &'static str {
    use SecteurActivite::*;
    match secteur {
        Telecommunications => "Télécommunications",
        BanqueFinance => "Banque et finance",
        Assurance => "Assurance",
        Sante => "Santé",
        Education => "Éducation",
        CommerceDistribution => "Commerce et distribution",
        Industrie => "Industrie",
        TransportLogistique => "Transport et logistique",
        Energie => "Énergie",
        AdministrationPublique => "Administration publique",
        HotellerieRestauration => "Hôtellerie et restauration",
        Immobilier => "Immobilier",
        Agriculture => "Agriculture",
        Medias => "Médias",
        AssociationOng => "Association et ONG",
        Autre => "Autre",
    }
}

pub fn libelle_region(region: Region) -> &'static str {
    use Region::*;
    match region {
        Abidjan => "Abidjan",
        Yamoussoukro => "Yamoussoukro",
        AgnebyTiassa => "Agnéby-Tiassa",
        Bafing => "Bafing",
        Bagoue => "Bagoué",
        Belier => "Bélier",
        Bere => "Béré",
        Bounkani => "Bounkani",
        Cavally => "Cavally",
        Folon => "Folon",
        Gbeke => "Gbêkê",
        Gbokle => "Gbôklé",
        Goh => "Gôh",
        Gontougo => "Gontougo",
        GrandsPonts => "Grands-Ponts",
        Guemon => "Guémon",
        Hambol => "Hambol",
        HautSassandra => "Haut-Sassandra",
        Iffou => "Iffou",
        IndenieDjuablin => "Indénié-Djuablin",
        Kabadougou => "Kabadougou",
        LaMe => "La Mé",
        LohDjiboua => "Lôh-Djiboua",
        Marahoue => "Marahoué",
        Moronou => "Moronou",
        Nawa => "Nawa",
        NZi => "N'Zi",
        Poro => "Poro",
        SanPedro => "San-Pédro",
        SudComoe => "Sud-Comoé",
        Tchologo => "Tchologo",
        Tonkpi => "Tonkpi",
        Worodougou => "Worodougou",
    }
}

pub fn libelle_formalite(formalite: TypeFormalite) -> &'static str {
    match formalite {
        TypeFormalite::DeclarationPrealable => "Déclaration préalable",
        TypeFormalite::AutorisationPrealable => "Autorisation préalable",
        TypeFormalite::Dispense => "Dispense",
    }
}

pub fn libelle_statut(statut: StatutConformite) -> &'static str {
    match statut {
        StatutConformite::Conforme => "Conforme",
        StatutConformite::PartiellementConforme => "Partiellement conforme",
        StatutConformite::NonConforme => "Non conforme",
        StatutConformite::DemarcheAchevee => "Démarche achevée",
        StatutConformite::DemarcheEnCours => "Démarche en cours",
        StatutConformite::Rejete => "Rejeté",
    }
}
